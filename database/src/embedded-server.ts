import { createHash } from 'node:crypto'
import { mkdirSync, openSync, closeSync, writeSync, readFileSync, unlinkSync, existsSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

/** Where the unix socket of an embedded data dir lives: `<dataDir>/.s.PGSQL.5432`, or a short tmp path. */
export function embeddedSocketDir(dataDir: string): string {
  const dir = path.resolve(dataDir)
  if (path.join(dir, '.s.PGSQL.5432').length <= 100) return dir
  const short = path.join(os.tmpdir(), `hms-admin-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`)
  mkdirSync(short, { recursive: true })
  return short
}

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

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function tryLock(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, 'wx')
    writeSync(fd, String(process.pid))
    closeSync(fd)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    let pid = NaN
    try {
      pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10)
    } catch {
      /* being written or removed */
    }
    if (Number.isFinite(pid) && pid > 0 && !pidAlive(pid)) {
      try {
        unlinkSync(lockPath)
      } catch {
        /* someone else cleaned it */
      }
    }
    return false
  }
}

/** A PGlite served over a unix socket by this process. */
export interface EmbeddedOwner {
  close(): Promise<void>
}

const owners = new Map<string, Promise<EmbeddedOwner>>()

/**
 * Makes sure some process serves `<dataDir>/pgdata` on the socket: returns at once when the socket
 * answers; otherwise takes the owner lock (O_EXCL + pid, stale pids removed) and hosts it here.
 */
export async function ensureEmbeddedServer(dataDir: string, waitMs = 60_000): Promise<{ socketDir: string }> {
  const dir = path.resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const socketDir = embeddedSocketDir(dir)
  const socketPath = path.join(socketDir, '.s.PGSQL.5432')
  const lockPath = path.join(dir, '.s.PGSQL.5432.lock')
  const deadline = Date.now() + waitMs
  for (;;) {
    const mine = owners.get(dir)
    if (mine) {
      await mine
      return { socketDir }
    }
    if (await socketAnswers(socketPath, 1000)) return { socketDir }
    if (tryLock(lockPath)) {
      const started = startOwner(dir, socketPath, lockPath)
      owners.set(dir, started)
      try {
        await started
      } catch (err) {
        owners.delete(dir)
        try {
          unlinkSync(lockPath)
        } catch {
          /* gone */
        }
        throw err
      }
      return { socketDir }
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
  owners.delete(dir)
  await (await owner).close()
}

interface Client {
  socket: net.Socket
  buffer: Buffer
  started: boolean
  groups: Buffer[][]
  pending: Buffer[]
  channels: Set<string>
  closed: boolean
}

async function startOwner(dir: string, socketPath: string, lockPath: string): Promise<EmbeddedOwner> {
  const { PGlite } = await import('@electric-sql/pglite')
  const pg = await PGlite.create(path.join(dir, 'pgdata'))
  if (existsSync(socketPath)) {
    try {
      unlinkSync(socketPath)
    } catch {
      /* gone */
    }
  }
  const clients = new Set<Client>()
  const ready: Client[] = [] // clients with queued groups, FIFO
  let pinned: Client | null = null // holds the backend while in a transaction
  let running = false

  const listenAll = async () => {
    const channels = new Set<string>()
    for (const c of clients) for (const ch of c.channels) channels.add(ch)
    for (const ch of channels) await pg.exec(`LISTEN "${ch.replaceAll('"', '""')}"`)
  }

  const sniff = (c: Client, msg: Buffer): boolean => {
    const type = String.fromCharCode(msg[0]!)
    if (type !== 'Q' && type !== 'P') return false
    const text = msg.subarray(5).toString('utf8')
    let unlisten = false
    for (const m of text.matchAll(/\b(UNLISTEN|LISTEN)\s+(\*|"(?:[^"]|"")+"|[A-Za-z_][\w$]*)/gi)) {
      const raw = m[2]!
      const ch = raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw.toLowerCase()
      if (m[1]!.toUpperCase() === 'LISTEN') c.channels.add(ch)
      else {
        unlisten = true
        if (ch === '*') c.channels.clear()
        else c.channels.delete(ch)
      }
    }
    return unlisten
  }

  const deliver = (c: Client, out: Buffer) => {
    const keep: Buffer[] = []
    let i = 0
    while (i + 5 <= out.length) {
      const len = out.readInt32BE(i + 1)
      const msg = out.subarray(i, i + 1 + len)
      if (msg[0] === 0x41 /* A */) {
        const channel = msg.subarray(9, msg.indexOf(0, 9)).toString('utf8')
        for (const other of clients) if (!other.closed && other.channels.has(channel)) other.socket.write(msg)
      } else keep.push(msg)
      i += 1 + len
    }
    if (!c.closed && keep.length > 0) c.socket.write(Buffer.concat(keep))
  }

  const pump = async () => {
    if (running) return
    running = true
    try {
      for (;;) {
        let c: Client | undefined
        if (pinned) {
          if (pinned.groups.length === 0) break
          c = pinned
        } else {
          c = ready.shift()
          if (!c) break
          if (c.groups.length === 0) continue
        }
        const group = c.groups.shift()!
        let unlisten = false
        for (const m of group) unlisten = sniff(c, m) || unlisten
        const chunks: Buffer[] = []
        try {
          await pg.execProtocolRawStream(new Uint8Array(Buffer.concat(group)), {
            onRawData: (d) => chunks.push(Buffer.from(d)),
          })
        } catch (err) {
          // PGlite failed at the protocol level: drop this client rather than wedge everyone.
          c.socket.destroy(err as Error)
        }
        if (unlisten) await listenAll()
        deliver(c, Buffer.concat(chunks))
        if (c.closed && pg.isInTransaction()) await pg.exec('ROLLBACK')
        pinned = !c.closed && pg.isInTransaction() ? c : null
        if (!pinned && c.groups.length > 0) ready.push(c)
      }
    } finally {
      running = false
    }
  }

  const onData = (c: Client, data: Buffer) => {
    c.buffer = c.buffer.length ? Buffer.concat([c.buffer, data]) : data
    for (;;) {
      if (!c.started) {
        if (c.buffer.length < 8) return
        const len = c.buffer.readInt32BE(0)
        if (c.buffer.length < len) return
        const code = c.buffer.readInt32BE(4)
        const msg = c.buffer.subarray(0, len)
        c.buffer = c.buffer.subarray(len)
        if (code === 80877103 || code === 80877104) {
          c.socket.write('N')
          continue
        }
        if (code === 80877102) {
          c.socket.end()
          return
        }
        c.started = true
        c.groups.push([msg])
        ready.push(c)
        continue
      }
      if (c.buffer.length < 5) break
      const len = 1 + c.buffer.readInt32BE(1)
      if (c.buffer.length < len) break
      const msg = Buffer.from(c.buffer.subarray(0, len))
      c.buffer = c.buffer.subarray(len)
      const type = String.fromCharCode(msg[0]!)
      if (type === 'X') {
        c.socket.end()
        break
      }
      c.pending.push(msg)
      if (type === 'S' || type === 'Q' || type === 'H') {
        c.groups.push(c.pending)
        c.pending = []
        if (pinned !== c) ready.push(c)
      }
    }
    void pump()
  }

  const server = net.createServer((socket) => {
    const c: Client = {
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      groups: [],
      pending: [],
      channels: new Set(),
      closed: false,
    }
    clients.add(c)
    socket.setNoDelay(true)
    socket.on('data', (d) => onData(c, d))
    socket.on('error', () => {
      /* close follows */
    })
    socket.on('close', () => {
      c.closed = true
      c.groups = []
      clients.delete(c)
      if (pinned === c) {
        pinned = null
        void (async () => {
          if (!running && pg.isInTransaction()) await pg.exec('ROLLBACK')
          void pump()
        })()
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => resolve())
  })

  const cleanupSync = () => {
    try {
      unlinkSync(socketPath)
    } catch {
      /* gone */
    }
    try {
      if (readFileSync(lockPath, 'utf8') === String(process.pid)) unlinkSync(lockPath)
    } catch {
      /* gone */
    }
  }
  let closing: Promise<void> | null = null
  const close = () =>
    (closing ??= (async () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      process.off('exit', cleanupSync)
      const closed = new Promise<void>((r) => server.close(() => r()))
      // Let the statement in flight (and an open transaction, briefly) finish before dropping clients.
      const until = Date.now() + 2000
      while ((running || pinned) && Date.now() < until) await new Promise((r) => setTimeout(r, 10))
      for (const c of clients) {
        c.closed = true
        c.socket.destroy()
      }
      await closed
      while (running) await new Promise((r) => setTimeout(r, 10))
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
  return { close }
}
