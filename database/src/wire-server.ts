import net from 'node:net'
import type { PGlite } from '@electric-sql/pglite'
import { fatalError, MAX_MESSAGE_LENGTH, nextFrame } from './frontend-frames.js'
import { ListenRegistry, type Listener } from './listen-registry.js'
import { withPrivateUmask } from './private-data-dir.js'

interface Client extends Listener {
  socket: net.Socket
  buffer: Buffer
  started: boolean
  /** Complete message groups (each ends with Sync, Query or Flush), run in order. */
  groups: Buffer[][]
  pending: Buffer[]
  pendingBytes: number
  queued: boolean
  /** LISTEN or UNLISTEN ran in its last groups; handled once it is outside a transaction. */
  listenChange: 'listen' | 'unlisten' | null
  idleTimer: NodeJS.Timeout | null
}

/** Options of the wire server. */
export interface WireServerOptions {
  /** A client idle inside a transaction longer than this is disconnected (its transaction rolls back). */
  idleInTransactionMs: number
  /** Called when the queue is drained after statements that create or rewrite files (DDL, VACUUM). */
  onFilesChanged: () => void
}

/** What a client outside a transaction is told when the owner closes: its queued statement never ran. */
export const CLOSING_NOT_RUN = 'the embedded database is closing; the statement did not run'
const CLOSING_IN_TRANSACTION = 'the embedded database is closing; the open transaction was rolled back'

const FILE_COMMANDS = /^(CREATE|ALTER|DROP|TRUNCATE|VACUUM|CLUSTER|REINDEX|REFRESH)\b/
// A client with this many unanswered groups is not read from until the owner catches up.
const MAX_QUEUED_GROUPS = 64

/**
 * Serves one PGlite to many `pg` clients over a unix socket, speaking the Postgres wire protocol.
 * PGlite has one backend, so message groups run one at a time; a client inside a transaction has
 * the backend to itself until it commits, rolls back, dies or idles past the timeout.
 */
export class WireServer {
  private readonly server = net.createServer((socket) => this.accept(socket))
  private readonly clients = new Set<Client>()
  private readonly ready: Client[] = []
  private readonly listens: ListenRegistry
  private pinned: Client | null = null
  private running = false
  private closing = false
  private filesChanged = false

  constructor(
    private readonly pg: PGlite,
    private readonly options: WireServerOptions,
  ) {
    this.listens = new ListenRegistry(pg)
  }

  listen(socketPath: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(socketPath, () => resolve())
    })
  }

  /** True while a statement runs or a client holds a transaction open. */
  get busy(): boolean {
    return this.running || this.pinned !== null
  }

  /**
   * Stops accepting, lets the statement in flight finish and be answered, then drops every client.
   * Nothing queued starts, so a client outside a transaction is told its statement did not run
   * (safe to send again to the next owner); one inside a transaction loses it.
   */
  async close(): Promise<void> {
    this.closing = true
    const closed = new Promise<void>((r) => this.server.close(() => r()))
    while (this.running) await new Promise((r) => setTimeout(r, 10))
    for (const c of this.clients) {
      this.drop(c, '57P01', this.pinned === c ? CLOSING_IN_TRANSACTION : CLOSING_NOT_RUN)
    }
    if (this.pg.isInTransaction()) await this.pg.exec('ROLLBACK')
    this.pinned = null
    await closed
  }

  private accept(socket: net.Socket): void {
    const c: Client = {
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      groups: [],
      pending: [],
      pendingBytes: 0,
      queued: false,
      listening: false,
      listenChange: null,
      closed: false,
      idleTimer: null,
    }
    this.clients.add(c)
    socket.setNoDelay(true)
    socket.on('data', (d) => this.onData(c, d))
    socket.on('error', () => undefined) // 'close' follows
    socket.on('close', () => {
      c.closed = true
      c.groups = []
      this.clearIdle(c)
      this.clients.delete(c)
      void this.pump() // rolls back its transaction if it held one
    })
  }

  private drop(c: Client, code: string, message: string): void {
    if (c.closed) return
    c.closed = true
    c.groups = []
    this.clearIdle(c)
    c.socket.pause()
    c.socket.write(fatalError(code, message), () => c.socket.destroy())
    setTimeout(() => c.socket.destroy(), 1000).unref()
    void this.pump()
  }

  private onData(c: Client, data: Buffer): void {
    if (c.closed) return
    c.buffer = c.buffer.length ? Buffer.concat([c.buffer, data]) : data
    for (;;) {
      const frame = nextFrame(c.buffer, c.started)
      if (frame.kind === 'incomplete') break
      if (frame.kind === 'invalid') return this.drop(c, '08P01', `invalid frontend message: ${frame.reason}`)
      c.buffer = c.buffer.subarray(frame.length)
      if (frame.kind === 'message') {
        if (frame.type === 'X') return void c.socket.end()
        if (!this.addMessage(c, frame.type, Buffer.from(frame.bytes))) return
      } else if (frame.kind === 'startup') {
        c.started = true
        this.enqueue(c, [Buffer.from(frame.bytes)])
      } else if (frame.kind === 'encryption-request') c.socket.write('N')
      else return void c.socket.destroy() // a cancel request: PGlite cannot cancel
    }
    if (c.groups.length >= MAX_QUEUED_GROUPS) c.socket.pause()
    void this.pump()
  }

  private addMessage(c: Client, type: string, bytes: Buffer): boolean {
    c.pending.push(bytes)
    c.pendingBytes += bytes.length
    if (c.pendingBytes > MAX_MESSAGE_LENGTH) {
      this.drop(c, '08P01', 'invalid frontend message: too much data before Sync')
      return false
    }
    if (type === 'S' || type === 'Q' || type === 'H') {
      this.enqueue(c, c.pending)
      c.pending = []
      c.pendingBytes = 0
    }
    return true
  }

  private enqueue(c: Client, group: Buffer[]): void {
    c.groups.push(group)
    this.clearIdle(c)
    if (this.pinned !== c && !c.queued) {
      c.queued = true
      this.ready.push(c)
    }
  }

  private next(): Client | undefined {
    if (this.pinned) return this.pinned.groups.length > 0 ? this.pinned : undefined
    for (let c = this.ready.shift(); c; c = this.ready.shift()) {
      c.queued = false
      if (!c.closed && c.groups.length > 0) return c
    }
    return undefined
  }

  private async pump(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      for (;;) {
        if (this.pinned?.closed) {
          if (this.pg.isInTransaction()) await this.pg.exec('ROLLBACK')
          this.pinned = null
          continue
        }
        const c = this.closing ? undefined : this.next()
        if (!c) break
        await this.runGroup(c)
      }
      if (this.filesChanged) {
        this.filesChanged = false
        this.options.onFilesChanged()
      }
    } finally {
      this.running = false
    }
  }

  private async runGroup(c: Client): Promise<void> {
    const group = c.groups.shift()!
    if (c.groups.length < MAX_QUEUED_GROUPS / 2 && c.socket.isPaused()) c.socket.resume()
    const chunks: Buffer[] = []
    try {
      await withPrivateUmask(() =>
        this.pg.execProtocolRawStream(new Uint8Array(Buffer.concat(group)), {
          onRawData: (d) => chunks.push(Buffer.from(d)),
        }),
      )
    } catch {
      // PGlite failed at the protocol level: drop this client rather than wedge everyone.
      this.drop(c, '08P01', 'the embedded database could not process a message')
    }
    this.deliver(c, Buffer.concat(chunks))
    if (c.listenChange && !this.pg.isInTransaction()) {
      const change = c.listenChange
      c.listenChange = null
      if (change === 'listen') await this.listens.listened()
      else await this.listens.unlistened(c, this.clients)
    }
    this.pinned = this.pg.isInTransaction() ? c : null
    if (this.pinned === c && !c.closed && c.groups.length === 0) this.armIdle(c)
    if (!this.pinned && !c.closed && c.groups.length > 0 && !c.queued) {
      c.queued = true
      this.ready.push(c)
    }
  }

  /** Sends c its answers; notifications go to every client listening on their channel instead. */
  private deliver(c: Client, out: Buffer): void {
    const keep: Buffer[] = []
    for (let i = 0; i + 5 <= out.length; ) {
      const message = out.subarray(i, i + 1 + out.readInt32BE(i + 1))
      i += message.length
      if (message[0] === 0x41 /* A */) {
        this.listens.fanOut(message, this.clients)
        continue
      }
      if (message[0] === 0x43 /* C */) {
        const tag = message.subarray(5, message.length - 1).toString('utf8')
        if (tag === 'UNLISTEN') c.listenChange = 'unlisten'
        else if (tag === 'LISTEN') {
          c.listening = true
          if (c.listenChange !== 'unlisten') c.listenChange = 'listen'
        }
        if (FILE_COMMANDS.test(tag)) this.filesChanged = true
      }
      keep.push(message)
    }
    if (!c.closed && keep.length > 0) c.socket.write(Buffer.concat(keep))
  }

  private armIdle(c: Client): void {
    this.clearIdle(c)
    c.idleTimer = setTimeout(() => {
      c.idleTimer = null
      if (this.pinned === c && c.groups.length === 0)
        this.drop(c, '25P03', 'terminating connection due to idle-in-transaction timeout')
    }, this.options.idleInTransactionMs)
    c.idleTimer.unref()
  }

  private clearIdle(c: Client): void {
    if (c.idleTimer) clearTimeout(c.idleTimer)
    c.idleTimer = null
  }
}
