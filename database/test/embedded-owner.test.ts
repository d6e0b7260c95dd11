import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import {
  embeddedSocketDir,
  isDatabaseUnavailableError,
  openDatabase,
  UnsafeSocketError,
  type DatabaseHandle,
} from '@hms-admin/database'
import { listModes } from '../../test-support/list-modes.js'

// The embedded owner with real processes and real sockets: the owner lock under a crowd, garbage
// on the socket, a socket directory someone else controls, clients that die or freeze inside a
// transaction, notifications without reading SQL, and no retry of a statement that was sent.

const CHILD = fileURLToPath(new URL('../../test-support/embedded-owner-child.mjs', import.meta.url))
const dirs: string[] = []
const handles: DatabaseHandle[] = []
const children: ChildProcess[] = []

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  for (const h of handles.splice(0)) await h.close().catch(() => undefined)
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function tempDir(prefix = 'hms-owner-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix))
  dirs.push(d)
  return d
}

async function open(dataDir: string, extra: Parameters<typeof openDatabase>[0] = {}): Promise<DatabaseHandle> {
  const h = await openDatabase({ dataDir, ...extra })
  handles.push(h)
  return h
}

function child(args: string[]): { process: ChildProcess; lines: AsyncIterator<string>; exited: Promise<unknown> } {
  const p = spawn(process.execPath, [CHILD, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(p)
  const exited = new Promise((resolve) => p.once('close', resolve))
  async function* read(): AsyncGenerator<string> {
    let rest = ''
    for await (const chunk of p.stdout!) {
      rest += chunk.toString()
      for (let i = rest.indexOf('\n'); i >= 0; i = rest.indexOf('\n')) {
        yield rest.slice(0, i)
        rest = rest.slice(i + 1)
      }
    }
  }
  return { process: p, lines: read(), exited }
}

async function firstLine(lines: AsyncIterator<string>): Promise<string> {
  const next = await lines.next()
  if (next.done) throw new Error('the child exited without a line')
  return next.value
}

/** Starts an owner in a child process and SIGKILLs it once it has written: leaves a stale lock and socket. */
async function crashOwner(dataDir: string, tag: string): Promise<void> {
  const owner = child(['race', dataDir, tag])
  expect(JSON.parse(await firstLine(owner.lines))).toEqual({ owner: true })
  owner.process.kill('SIGKILL')
  await owner.exited
}

describe('the embedded owner lock', () => {
  it('elects exactly one owner among 16 processes started against a stale lock, 10 rounds, and keeps every row', async () => {
    const dataDir = tempDir()
    const setup = await openDatabase({ dataDir })
    await sql`create table race_rows (tag text primary key)`.execute(setup.db)
    await setup.close()
    await crashOwner(dataDir, 'crashed-0')
    const expected = ['crashed-0']
    const owners: number[] = []
    for (let round = 1; round <= 10; round++) {
      const racers = Array.from({ length: 16 }, (_, i) => child(['race', dataDir, `r${round}-${i}`]))
      const reports = await Promise.all(
        racers.map(async (r) => JSON.parse(await firstLine(r.lines)) as { owner: boolean }),
      )
      owners.push(reports.filter((r) => r.owner).length)
      expected.push(...racers.map((_, i) => `r${round}-${i}`))
      // Everyone but the owner leaves; the owner is killed, so the next round starts against its stale lock.
      const owner = racers[reports.findIndex((r) => r.owner)]
      for (const r of racers) if (r !== owner) r.process.stdin!.end()
      await Promise.all(racers.filter((r) => r !== owner).map((r) => r.exited))
      owner?.process.kill('SIGKILL')
      await owner?.exited
    }
    expect(owners).toEqual(Array(10).fill(1))
    const h = await open(dataDir)
    const rows = await sql<{ tag: string }>`select tag from race_rows order by tag`.execute(h.db)
    expect(rows.rows.map((r) => r.tag)).toEqual([...expected].sort())
  }, 900_000)
})

describe('the embedded owner socket', () => {
  it('drops clients that send garbage and still answers another client within 2 s', async () => {
    const dataDir = tempDir()
    await open(dataDir)
    const socketPath = path.join(embeddedSocketDir(dataDir), '.s.PGSQL.5432')
    const startup = (() => {
      const body = Buffer.from('\0\0\0\0user\0postgres\0database\0postgres\0\0')
      body.writeInt32BE(196608, 0)
      const head = Buffer.alloc(4)
      head.writeInt32BE(body.length + 4)
      return Buffer.concat([head, body])
    })()
    const message = (type: string, length: number) => {
      const b = Buffer.alloc(5)
      b.write(type)
      b.writeUInt32BE(length, 1)
      return b
    }
    const dropped = [
      randomBytes(4096),
      Buffer.alloc(8), // a startup length of 0
      Buffer.from('ffffffff00030000', 'hex'),
      Buffer.concat([startup, message('Q', 0xffffffff)]),
      Buffer.concat([startup, message('Q', 0)]),
      Buffer.concat([startup, Buffer.from([0, 1, 2, 3, 4, 5])]),
    ]
    const closed = dropped.map(
      (bytes) =>
        new Promise<void>((resolve) => {
          const s = net.connect(socketPath, () => s.write(bytes))
          s.on('error', () => undefined)
          s.on('data', () => undefined)
          s.on('close', () => resolve())
        }),
    )
    // A client that announces a long message and stalls holds nobody up either.
    const stalled = net.connect(socketPath, () =>
      stalled.write(Buffer.concat([startup, message('Q', 1000), Buffer.alloc(10)])),
    )
    stalled.on('error', () => undefined)
    await Promise.all(closed)
    const other = new pg.Client({
      host: embeddedSocketDir(dataDir),
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      connectionTimeoutMillis: 2000,
      query_timeout: 2000,
    })
    await other.connect()
    try {
      expect((await other.query('select 41 + 1 as n')).rows).toEqual([{ n: 42 }])
    } finally {
      await other.end()
      stalled.destroy()
    }
  }, 120_000)

  it('puts the socket of a long data-dir path in a private mkdtemp directory and refuses one that is not private', async () => {
    const base = tempDir()
    const dataDir = path.join(base, 'x'.repeat(60), 'y'.repeat(60))
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const h = await open(dataDir)
    const socketDir = embeddedSocketDir(dataDir)
    expect(socketDir.startsWith(path.join(os.tmpdir(), 'hms-admin-'))).toBe(true)
    expect(statSync(socketDir).mode & 0o777).toBe(0o700)
    expect(readFileSync(path.join(dataDir, 'socket-dir'), 'utf8')).toBe(socketDir)
    await h.close()
    handles.length = 0

    // Someone else's directory, with a database answering in it, recorded as the socket dir.
    const foreign = tempDir('hms-foreign-')
    chmodSync(foreign, 0o755)
    if (process.getuid?.() === 0) chownSync(foreign, 65534, 65534)
    let connections = 0
    const fake = net.createServer((s) => {
      connections++
      s.destroy()
    })
    await new Promise<void>((resolve) => fake.listen(path.join(foreign, '.s.PGSQL.5432'), resolve))
    try {
      writeFileSync(path.join(dataDir, 'socket-dir'), foreign)
      const refused = await openDatabase({ dataDir }).then(
        () => null,
        (error: unknown) => error,
      )
      expect(refused).toBeInstanceOf(UnsafeSocketError)
      expect((refused as Error).message).toContain(foreign)
      expect(connections).toBe(0)
    } finally {
      await new Promise((resolve) => fake.close(resolve))
    }
  }, 120_000)
})

describe('a client inside a transaction', () => {
  for (const fate of ['killed', 'frozen'] as const) {
    it(`releases the database when it is ${fate} (its transaction rolls back)`, async () => {
      const dataDir = tempDir()
      const h = await open(dataDir, { idleInTransactionTimeoutMs: 500 })
      await sql`create table race_rows (tag text primary key)`.execute(h.db)
      const c = child(['in-transaction', dataDir])
      expect(await firstLine(c.lines)).toBe('in-transaction')
      c.process.kill(fate === 'killed' ? 'SIGKILL' : 'SIGSTOP')
      // Waits for the backend: returns only once the child's transaction is gone.
      await sql`insert into race_rows (tag) values ('parent')`.execute(h.db)
      const rows = await sql<{ tag: string }>`select tag from race_rows order by tag`.execute(h.db)
      expect(rows.rows).toEqual([{ tag: 'parent' }])
      if (fate === 'frozen') c.process.kill('SIGCONT')
    }, 120_000)
  }
})

describe('notifications', () => {
  it('reach every listener, whatever SQL text mentions UNLISTEN and whoever runs UNLISTEN *', async () => {
    const dataDir = tempDir()
    const h = await open(dataDir)
    const waiter = () => {
      let resolve: (payload: string) => void = () => {}
      const promise = new Promise<string>((r) => (resolve = r))
      return { promise, resolve: (p: string) => resolve(p) }
    }
    const onA = waiter()
    const stop = await h.listen('Chan A', (payload) => onA.resolve(payload))
    const other = new pg.Client({
      host: embeddedSocketDir(dataDir),
      port: 5432,
      user: 'postgres',
      database: 'postgres',
    })
    const onB = waiter()
    other.on('notification', (n) => {
      if (n.channel === 'Chan B') onB.resolve(n.payload ?? '')
    })
    await other.connect()
    try {
      await other.query('LISTEN "Chan B"')
      // Text that looks like UNLISTEN is not a command: the sender keeps its channel.
      await other.query(`select 'unlisten *' as text`)
      await other.query(`NOTIFY "Chan B", 'b'`)
      expect(await onB.promise).toBe('b')
      // A real UNLISTEN * on the shared backend must not take the channel from the other listener.
      await other.query('UNLISTEN *')
      await other.query(`NOTIFY "Chan A", 'a'`)
      expect(await onA.promise).toBe('a')
    } finally {
      await other.end()
      await stop()
    }
  }, 120_000)
})

describe('statements that may have run', () => {
  it('are not sent again when the connection drops while one is in flight', async () => {
    const dataDir = tempDir()
    // A live process (this one) holds the lock and "serves" the socket: a fake that reads one statement and hangs up.
    mkdirSync(path.join(dataDir, 'lock'), { mode: 0o700 })
    writeFileSync(path.join(dataDir, 'lock', 'owner.1'), String(process.pid))
    let statements = 0
    const fake = net.createServer((s) => {
      s.once('data', () => {
        const ok = Buffer.from('R\0\0\0\x08\0\0\0\0Z\0\0\0\x05I', 'latin1')
        s.write(ok)
        s.on('data', (d) => {
          if (d[0] === 0x51 || d[0] === 0x50) statements++
          s.destroy()
        })
      })
    })
    await new Promise<void>((resolve) => fake.listen(path.join(dataDir, '.s.PGSQL.5432'), resolve))
    try {
      const h = await open(dataDir, { connectLazily: true })
      const error = await sql`insert into influencers (name) values ('once')`.execute(h.db).then(
        () => null,
        (e: unknown) => e,
      )
      expect(isDatabaseUnavailableError(error)).toBe(true)
      expect(statements).toBe(1)
    } finally {
      await new Promise((resolve) => fake.close(resolve))
    }
  }, 60_000)
})

describe('statements that never reached an owner', () => {
  it('go to the next owner when the old one had already hung up (a write that fails with EPIPE)', async () => {
    const dataDir = tempDir()
    // A live process (this one) holds the lock and "serves" the socket: a fake owner that accepts
    // one client, says it is ready, then hangs up and goes away without reading anything more, as
    // a closing owner does. The client's next write fails with EPIPE; that statement never ran.
    const lock = path.join(dataDir, 'lock')
    mkdirSync(lock, { mode: 0o700 })
    writeFileSync(path.join(lock, 'owner.1'), String(process.pid))
    const fake = net.createServer((s) => {
      s.once('data', () => {
        s.write(Buffer.from('R\0\0\0\x08\0\0\0\0Z\0\0\0\x05I', 'latin1'), () => {
          s.destroy()
          fake.close()
          rmSync(lock, { recursive: true, force: true })
        })
      })
    })
    await new Promise<void>((resolve) => fake.listen(path.join(dataDir, '.s.PGSQL.5432'), resolve))
    const h = await open(dataDir, { connectLazily: true })
    const result = await sql<{ n: number }>`select 41 + 1 as n`.execute(h.db)
    // Only a real owner answers a query (the fake never does): it was handed to this process.
    expect(result.rows).toEqual([{ n: 42 }])
  }, 60_000)
})

describe('the data directory', () => {
  it('is 0700 with every file 0600 after the first open and a migration, and after close', async () => {
    const dataDir = path.join(tempDir(), 'fresh')
    const h = await open(dataDir)
    await sql`create table made_by_a_migration (x int primary key, y text)`.execute(h.db)
    await sql`create index on made_by_a_migration (y)`.execute(h.db)
    const open_ = listModes(dataDir)
    await h.close()
    handles.length = 0
    const closed = listModes(dataDir)
    for (const modes of [open_, closed]) {
      expect(modes.files.length).toBeGreaterThan(500)
      expect(modes.dirs.filter((m) => m.mode !== 0o700)).toEqual([])
      expect(modes.files.filter((m) => m.mode !== 0o600)).toEqual([])
    }
  }, 120_000)

  it('tightens a data directory that others could read and write, with a one-line warning naming it', async () => {
    const dataDir = path.join(tempDir(), 'legacy')
    await (await openDatabase({ dataDir })).close()
    chmodSync(dataDir, 0o777)
    for (const f of listModes(dataDir).files.slice(0, 50)) chmodSync(f.path, 0o666)
    const warnings: string[] = []
    const h = await open(dataDir, { onWarning: (m) => warnings.push(m) })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(dataDir)
    expect(warnings[0]).toContain('777')
    expect(warnings[0]).not.toContain('\n')
    const modes = listModes(dataDir)
    expect(modes.dirs.filter((m) => m.mode !== 0o700)).toEqual([])
    expect(modes.files.filter((m) => m.mode !== 0o600)).toEqual([])
    await h.close()
    handles.length = 0
    const again: string[] = []
    await (await openDatabase({ dataDir, onWarning: (m) => again.push(m) })).close()
    expect(again).toEqual([])
  }, 120_000)
})
