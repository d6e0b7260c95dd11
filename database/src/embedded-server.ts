import { chmodSync, existsSync, unlinkSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { tryOwnerLock, type OwnerLock } from './owner-lock.js'
import { ensurePrivateDataDir, tightenTree, withPrivateUmask } from './private-data-dir.js'
import { locateSocketDir, prepareSocketDir, SOCKET_NAME } from './socket-location.js'
import { WireServer } from './wire-server.js'

/** Options of `ensureEmbeddedServer`. */
export interface EmbeddedOptions {
  /** How long to wait for another process that holds the lock to answer (default 120 s: PGlite may take long to start on a loaded machine). */
  waitMs?: number
  /** When this process becomes the owner: disconnect a client idle in a transaction after this long (default 30 s). */
  idleInTransactionMs?: number
  /** Receives one-line warnings, e.g. that a too-open data directory was made private. */
  onWarning?: (message: string) => void
}

/** A PGlite served over a unix socket by this process. */
interface EmbeddedOwner {
  socketDir: string
  close(): Promise<void>
}

const owners = new Map<string, Promise<EmbeddedOwner>>()
const closing = new Map<string, Promise<void>>()

function socketAnswers(socketPath: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath)
    const done = (ok: boolean) => {
      s.destroy()
      resolve(ok)
    }
    s.setTimeout(timeoutMs, () => done(false))
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
  })
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file)
  } catch {
    /* gone */
  }
}

function warnIfLoose(dir: string, mode: string | null, warn: (message: string) => void): void {
  if (mode)
    warn(
      `The data directory ${dir} was open to other users (mode ${mode}); it is now private (directories 0700, files 0600).`,
    )
}

/**
 * Makes sure some process serves `<dataDir>/pgdata`: returns at once when the socket answers;
 * otherwise takes the owner lock and hosts it here. The data dir is made private (0700) first, and
 * the socket is only looked for in a directory private to this user.
 */
export async function ensureEmbeddedServer(
  dataDir: string,
  options: EmbeddedOptions = {},
): Promise<{ socketDir: string }> {
  const dir = path.resolve(dataDir)
  await closing.get(dir)
  const warn = options.onWarning ?? ((m: string) => process.emitWarning(m))
  const privacy = ensurePrivateDataDir(dir)
  warnIfLoose(dir, privacy.looseMode, warn)
  const deadline = Date.now() + (options.waitMs ?? 120_000)
  for (;;) {
    const mine = owners.get(dir)
    if (mine) return { socketDir: (await mine).socketDir }
    const socketDir = locateSocketDir(dir)
    if (socketDir && (await socketAnswers(path.join(socketDir, SOCKET_NAME), 1000))) return { socketDir }
    const lock = tryOwnerLock(path.join(dir, 'lock'))
    if (lock) {
      const started = startOwner(dir, lock, options.idleInTransactionMs ?? 30_000, (n) => {
        if (!privacy.looseMode && !privacy.created)
          warn(`${n} files in the data directory ${dir} were open to other users; they are now private (0600).`)
      })
      owners.set(dir, started)
      try {
        return { socketDir: (await started).socketDir }
      } catch (err) {
        owners.delete(dir)
        lock.release()
        throw err
      }
    }
    if (Date.now() > deadline)
      throw Object.assign(
        new Error(`the embedded database in ${dir} is locked by another process that does not answer`),
        { code: 'ETIMEDOUT' },
      )
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Closes the server this process hosts for dataDir, if any. */
export async function closeEmbeddedOwner(dataDir: string): Promise<void> {
  const dir = path.resolve(dataDir)
  const owner = owners.get(dir)
  if (!owner) return
  const done = (async () => {
    try {
      await (await owner).close()
    } finally {
      owners.delete(dir)
      closing.delete(dir)
    }
  })()
  closing.set(dir, done)
  await done
}

/** True when this process hosts the embedded database of dataDir. */
export function isEmbeddedOwner(dataDir: string): boolean {
  return owners.has(path.resolve(dataDir))
}

async function startOwner(
  dir: string,
  lock: OwnerLock,
  idleInTransactionMs: number,
  onLooseFiles: (count: number) => void,
): Promise<EmbeddedOwner> {
  const { PGlite } = await import('@electric-sql/pglite')
  // Counted before PGlite opens: it recreates some files (pg_internal.init) with mode 0644 on every start.
  const loosened = existsSync(path.join(dir, 'pgdata')) ? tightenTree(dir) : 0
  if (loosened > 0) onLooseFiles(loosened)
  const pg = await withPrivateUmask(() => PGlite.create(path.join(dir, 'pgdata')))
  let socket: ReturnType<typeof prepareSocketDir> | null = null
  let wire: WireServer
  let socketPath: string
  try {
    tightenTree(dir)
    socket = prepareSocketDir(dir)
    socketPath = path.join(socket.dir, SOCKET_NAME)
    unlinkQuietly(socketPath) // a dead owner's socket, in a directory only this user can write
    wire = new WireServer(pg, { idleInTransactionMs, onFilesChanged: () => tightenTree(dir) })
    await wire.listen(socketPath)
    chmodSync(socketPath, 0o600)
    lock.prune()
  } catch (err) {
    await pg.close().catch(() => undefined)
    socket?.dispose()
    throw err
  }
  return ownerLifecycle(dir, lock, pg, wire, socketPath, socket)
}

function ownerLifecycle(
  dir: string,
  lock: OwnerLock,
  pg: { close(): Promise<void> },
  wire: WireServer,
  socketPath: string,
  socket: { dir: string; dispose(): void },
): EmbeddedOwner {
  let released = false
  const cleanupSync = () => {
    if (released) return
    released = true
    unlinkQuietly(socketPath)
    socket.dispose()
    tightenTree(dir)
    lock.release()
  }
  let closingPromise: Promise<void> | null = null
  const close = () =>
    (closingPromise ??= (async () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      process.off('exit', cleanupSync)
      // Let the statement in flight (and an open transaction, briefly) finish before dropping clients.
      const until = Date.now() + 2000
      while (wire.busy && Date.now() < until) await new Promise((r) => setTimeout(r, 10))
      await wire.close()
      await pg.close()
      cleanupSync()
    })())
  function onSignal(signal: NodeJS.Signals) {
    if (process.listenerCount(signal) > 0) {
      // Someone else (serve) owns the shutdown: it finishes in-flight work, then closes its handle,
      // which closes this server. Closing first would fail that work. A late fallback still closes.
      setTimeout(() => void close(), 30_000).unref()
      return
    }
    void close().finally(() => process.kill(process.pid, signal))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  process.on('exit', cleanupSync)
  return { socketDir: socket.dir, close }
}

/** Where the socket of an embedded data dir is (the data dir itself, or the private directory recorded there for long paths). */
export function embeddedSocketDir(dataDir: string): string {
  const dir = path.resolve(dataDir)
  return locateSocketDir(dir) ?? dir
}
