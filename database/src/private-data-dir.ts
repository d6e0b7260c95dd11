import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs'
import path from 'node:path'

/** What the data dir looked like before it was made private. */
export interface PrivacyReport {
  /** The data dir did not exist and was created with mode 0700. */
  created: boolean
  /** Its mode before, when group or others could reach it (e.g. `755`); null when it was private. */
  looseMode: string | null
}

/**
 * Creates `dir` with mode 0700, or tightens an existing one that group or others can reach
 * (only the directory itself; `tightenTree` fixes what is inside). Throws when it is not a
 * directory of this user.
 */
export function ensurePrivateDataDir(dir: string): PrivacyReport {
  let created = false
  try {
    mkdirSync(dir, { mode: 0o700 })
    created = true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  const st = lstatSync(dir)
  if (!st.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' })
  if (typeof process.getuid === 'function' && st.uid !== process.getuid())
    throw Object.assign(new Error(`${dir} belongs to another user`), { code: 'EACCES' })
  // mkdirSync's mode goes through the umask, which may be looser or stricter; set it exactly.
  if (created) chmodSync(dir, 0o700)
  const loose = !created && (st.mode & 0o077) !== 0
  if (loose) chmodSync(dir, 0o700)
  return { created, looseMode: loose ? (st.mode & 0o777).toString(8) : null }
}

/**
 * Makes every directory under `dir` 0700 and every file 0600 (PGlite writes its initdb files with
 * mode 0666 whatever the umask). Symlinks are left alone and not followed. Returns how many entries
 * group or others could reach before.
 */
export function tightenTree(dir: string): number {
  let loosened = 0
  const visit = (p: string): void => {
    let st: ReturnType<typeof lstatSync>
    try {
      st = lstatSync(p)
    } catch {
      return // removed meanwhile (PGlite renames and unlinks its own files)
    }
    if (st.isSymbolicLink()) return
    const want = st.isDirectory() ? 0o700 : 0o600
    if ((st.mode & 0o777) !== want) {
      if ((st.mode & 0o077) !== 0) loosened++
      try {
        chmodSync(p, want)
      } catch {
        return
      }
    }
    if (!st.isDirectory()) return
    let names: string[] = []
    try {
      names = readdirSync(p)
    } catch {
      return
    }
    for (const name of names) visit(path.join(p, name))
  }
  visit(dir)
  return loosened
}

/**
 * Runs fn with the umask tightened to 077, so that files PGlite creates meanwhile are 0600 and
 * directories 0700 (its file layer passes 0666/0777 to Node, which applies the umask). Code that
 * runs concurrently only creates files more private than it asked for.
 */
export async function withPrivateUmask<T>(fn: () => Promise<T>): Promise<T> {
  let before: number
  try {
    before = process.umask(0o077)
  } catch {
    return fn() // worker threads cannot change the umask: the tree walks still fix the modes
  }
  process.umask(before | 0o077)
  try {
    return await fn()
  } finally {
    process.umask(before)
  }
}
