import { lstatSync, readdirSync } from 'node:fs'
import path from 'node:path'

/** One entry's permission bits. */
export interface EntryMode {
  path: string
  mode: number
}

/** The permission bits of every directory and file (sockets included, symlinks not) under dir, dir itself included. */
export function listModes(dir: string): { dirs: EntryMode[]; files: EntryMode[] } {
  const dirs: EntryMode[] = []
  const files: EntryMode[] = []
  const visit = (p: string): void => {
    const st = lstatSync(p)
    if (st.isSymbolicLink()) return
    if (st.isDirectory()) {
      dirs.push({ path: p, mode: st.mode & 0o777 })
      for (const name of readdirSync(p)) visit(path.join(p, name))
    } else files.push({ path: p, mode: st.mode & 0o777 })
  }
  visit(dir)
  return { dirs, files }
}
