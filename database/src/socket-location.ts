import { lstatSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** The socket's file name, as `pg` derives it from a directory and port 5432. */
export const SOCKET_NAME = '.s.PGSQL.5432'
/** Inside the data dir: where the private socket dir is recorded when the data dir's path is too long for a socket. */
const RECORD = 'socket-dir'
// sun_path holds 108 bytes on Linux, 104 on macOS, including the terminating NUL.
const MAX_SOCKET_PATH = 100

/** The socket directory is not private to this user, so what answers there cannot be trusted. */
export class UnsafeSocketError extends Error {
  override readonly name = 'UnsafeSocketError'
}

/** Throws UnsafeSocketError unless dir is a real directory of this user that nobody else can enter. */
export function assertPrivateDir(dir: string): void {
  let st: ReturnType<typeof lstatSync>
  try {
    st = lstatSync(dir)
  } catch {
    throw new UnsafeSocketError(`The socket directory ${dir} of the embedded database does not exist.`)
  }
  const uid = process.getuid?.()
  if (!st.isDirectory()) throw new UnsafeSocketError(`The socket directory ${dir} is not a directory.`)
  if (uid !== undefined && st.uid !== uid)
    throw new UnsafeSocketError(`The socket directory ${dir} belongs to another user (uid ${st.uid}).`)
  if ((st.mode & 0o077) !== 0)
    throw new UnsafeSocketError(
      `The socket directory ${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)}).`,
    )
}

function isShortEnough(dataDir: string): boolean {
  return Buffer.byteLength(path.join(dataDir, SOCKET_NAME)) <= MAX_SOCKET_PATH
}

/**
 * For a client: the directory whose socket serves dataDir, checked to be private to this user
 * before anyone connects; null when no owner has recorded one yet. dataDir must be private already.
 */
export function locateSocketDir(dataDir: string): string | null {
  if (isShortEnough(dataDir)) return dataDir
  let recorded: string
  try {
    recorded = readFileSync(path.join(dataDir, RECORD), 'utf8').trim()
  } catch {
    return null
  }
  assertPrivateDir(recorded)
  return recorded
}

/**
 * For the owner: the data dir itself, or, when its path is too long for a unix socket, a fresh
 * private directory from mkdtemp (mode 0700, unpredictable name) recorded in the data dir.
 */
export function prepareSocketDir(dataDir: string): { dir: string; dispose(): void } {
  if (isShortEnough(dataDir)) return { dir: dataDir, dispose: () => undefined }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-admin-'))
  if (!isShortEnough(dir)) {
    rmSync(dir, { recursive: true, force: true })
    throw new UnsafeSocketError(
      `Neither ${dataDir} nor the temporary directory ${os.tmpdir()} has a path short enough for a unix socket.`,
    )
  }
  assertPrivateDir(dir)
  const record = path.join(dataDir, RECORD)
  writeFileSync(`${record}.tmp`, dir, { mode: 0o600 })
  renameSync(`${record}.tmp`, record)
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}
