import type { PGlite } from '@electric-sql/pglite'

/** A client of the embedded owner, as far as notifications are concerned. */
export interface Listener {
  /** It has run LISTEN (its CommandComplete said so). */
  listening: boolean
  closed: boolean
  socket: { write(bytes: Buffer): unknown }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * Notifications of the one shared backend, without reading SQL. Every client that has run LISTEN
 * (seen in its CommandComplete tag) receives every notification, as `pg` filters by channel. Since
 * all clients share the backend, one client's UNLISTEN would silence the others: after an UNLISTEN,
 * the channels the backend forgot (`pg_listening_channels()`) are listened again while another
 * client listens.
 */
export class ListenRegistry {
  private known = new Set<string>()

  constructor(private readonly pg: PGlite) {}

  private async channels(): Promise<Set<string>> {
    const result = await this.pg.exec('select pg_listening_channels() as channel')
    return new Set(result[0]?.rows.map((r) => String((r as { channel: unknown }).channel)) ?? [])
  }

  /** After a LISTEN (outside a transaction): remember what the backend listens on. */
  async listened(): Promise<void> {
    for (const channel of await this.channels()) this.known.add(channel)
  }

  /** After `client` ran UNLISTEN (outside a transaction): listen again on what others may still want. */
  async unlistened(client: Listener, clients: Iterable<Listener>): Promise<void> {
    const current = await this.channels()
    const others = [...clients].some((c) => c !== client && !c.closed && c.listening)
    for (const channel of this.known) {
      if (current.has(channel) || !others) continue
      await this.pg.exec(`LISTEN ${quoteIdent(channel)}`)
      current.add(channel)
    }
    this.known = current
  }

  /** Forwards a NotificationResponse to every client that has listened. */
  fanOut(message: Buffer, clients: Iterable<Listener>): void {
    for (const c of clients) if (!c.closed && c.listening) c.socket.write(message)
  }
}
