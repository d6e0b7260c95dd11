import type { PGlite } from '@electric-sql/pglite'

/** A client of the embedded owner, as far as notifications are concerned. */
export interface Listener {
  /** The channels this client LISTENs on, as the backend reported them. */
  channels: Set<string>
  closed: boolean
  socket: { write(bytes: Buffer): unknown }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * Tracks which client listens on which channel without reading SQL: the one shared backend says
 * what it listens on (`pg_listening_channels()`), and the difference after a client's LISTEN or
 * UNLISTEN (seen in its CommandComplete tag) is that client's doing.
 */
export class ListenRegistry {
  private known = new Set<string>()

  constructor(private readonly pg: PGlite) {}

  /** After `client` ran LISTEN or UNLISTEN outside a transaction: attribute the change, restore channels others still want. */
  async reconcile(client: Listener, clients: Iterable<Listener>): Promise<void> {
    const result = await this.pg.exec('select pg_listening_channels() as channel')
    const current = new Set(result[0]?.rows.map((r) => String((r as { channel: unknown }).channel)) ?? [])
    for (const channel of current) if (!this.known.has(channel)) client.channels.add(channel)
    for (const channel of this.known) {
      if (current.has(channel)) continue
      client.channels.delete(channel)
      // The shared backend forgot a channel another client still listens on: listen again.
      if ([...clients].some((c) => !c.closed && c.channels.has(channel))) {
        await this.pg.exec(`LISTEN ${quoteIdent(channel)}`)
        current.add(channel)
      }
    }
    this.known = current
  }

  /** Forwards a NotificationResponse to every client that listens on its channel. */
  fanOut(message: Buffer, clients: Iterable<Listener>): void {
    const end = message.indexOf(0, 9)
    if (end < 0) return
    const channel = message.subarray(9, end).toString('utf8')
    for (const c of clients) if (!c.closed && c.channels.has(channel)) c.socket.write(message)
  }
}
