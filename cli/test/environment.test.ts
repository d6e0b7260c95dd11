import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testBackends, openMigrated } from '../../test-support/backends.js'
import { cli } from './harness.js'

const SESSION_ID = '00000000-0000-4000-8000-000000000000'
// Every command that touches the database, with what it needs to get that far.
const COMMANDS: { argv: string[]; stdin?: string }[] = [
  { argv: ['migrate'] },
  { argv: ['migrate', '--status'] },
  { argv: ['influencer', 'add', 'zed', '--name', 'Zed'] },
  { argv: ['influencer', 'list'] },
  { argv: ['set-token', 'zed', '--viewer-token', '-'], stdin: 'HMS_not_stored' },
  { argv: ['set-token', 'zed', '--viewer-room-code', 'abc-defg-hij', '--dry-run'] },
  { argv: ['clear-token', 'zed', '--all'] },
  { argv: ['show', 'zed'] },
  { argv: ['list'] },
  ...['text', 'json', 'junit', 'sarif', 'github'].map((format) => ({
    argv: ['audit', '--format', format, '--fail-on', 'warning'],
  })),
  { argv: ['history'] },
  { argv: ['history', 'zed', '--limit', '5'] },
  { argv: ['session', 'start', 'zed', '--title', 'T'] },
  { argv: ['session', 'end', SESSION_ID] },
  { argv: ['session', 'list'] },
  { argv: ['serve', '--port', '0'] },
]

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Ends with one error sentence and one hint (after at most a warning or log line), no stack trace. */
function expectOneSentenceAndHint(stderr: string) {
  expect(stderr).toMatch(/(?:^|\n)Error: [^\n]+\.\nHint: [^\n]+\n$/)
  expect(stderr.match(/Error/g)).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at /)
}

function expectEnvironmentFailure(r: { code: number; stdout: string; stderr: string }, sentence: RegExp) {
  expect(r.code, r.stderr).toBe(3)
  expectOneSentenceAndHint(r.stderr)
  expect(r.stderr).toMatch(sentence)
  // No partial report or JSON on stdout.
  expect(r.stdout).toBe('')
}

describe('hms-admin with the database down', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-down-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  describe.each([[[] as string[]], [['--json']]])('every command, mode %j', (mode) => {
    it.each(COMMANDS.map((c) => [c.argv.join(' '), c] as const))(
      'exits 3 on a DATABASE_URL where nothing listens: %s',
      async (_name, c) => {
        const url = `postgres://postgres@127.0.0.1:${await closedPort()}/hms`
        const r = await cli(null, [...mode, ...c.argv], {
          env: { DATABASE_URL: url },
          ...(c.stdin ? { stdin: c.stdin } : {}),
        })
        expectEnvironmentFailure(
          r,
          /^Error: The database postgres:\/\/postgres@127\.0\.0\.1:\d+\/hms cannot be reached\.\n/m,
        )
      },
    )

    it.each(COMMANDS.map((c) => [c.argv.join(' '), c] as const))(
      'exits 3 when the data dir is a file: %s',
      async (_name, c) => {
        const file = path.join(dir, 'not-a-dir')
        writeFileSync(file, 'in the way')
        const r = await cli(null, [...mode, ...c.argv], {
          env: { HMS_ADMIN_DATA_DIR: file },
          ...(c.stdin ? { stdin: c.stdin } : {}),
        })
        expectEnvironmentFailure(r, /The embedded database in .*not-a-dir cannot be opened\./)
      },
    )
  })

  it('exits 3, not 1, from audit when pgdata inside the data dir is a file, and leaves --output alone', async () => {
    const dataDir = path.join(dir, 'pgdata-is-a-file')
    mkdirSync(dataDir)
    writeFileSync(path.join(dataDir, 'pgdata'), 'in the way')
    const report = path.join(dir, 'report.xml')
    writeFileSync(report, 'previous report')
    const r = await cli({ dataDir }, ['audit', '--format', 'junit', '--fail-on', 'warning', '--output', report])
    expectEnvironmentFailure(r, /cannot be opened/)
    expect(readFileSync(report, 'utf8')).toBe('previous report')
  }, 60_000)

  it('does not create the --output file of an audit that cannot reach the database', async () => {
    const report = path.join(dir, 'never.sarif')
    const r = await cli({ databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/hms` }, [
      'audit',
      '--format',
      'sarif',
      '--output',
      report,
    ])
    expectEnvironmentFailure(r, /cannot be reached/)
    expect(existsSync(report)).toBe(false)
  })

  it('reports a bad --output path as bad usage (exit 2) before touching the database', async () => {
    const r = await cli({ databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/hms` }, [
      'audit',
      '--output',
      path.join(dir, 'missing-dir', 'a.json'),
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^Error: Cannot write to .*\nHint: /)
  })
})

for (const backend of testBackends()) {
  describe(`hms-admin serve errors go through the CLI's exit codes (${backend.name})`, () => {
    let db: Awaited<ReturnType<typeof backend.setup>>
    beforeAll(async () => {
      db = await backend.setup()
      await (await openMigrated(db)).close()
    }, 60_000)
    afterAll(() => backend.teardown())

    it.each([
      [['--port', 'eighty'], /--port must be a whole number/],
      [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
      [['--rate-limit', '-1'], /--rate-limit must be a whole number/],
    ])('exits 2 on serve %j with one sentence and a hint', async (flags, message) => {
      const r = await cli(db, ['serve', ...flags])
      expect(r.code).toBe(2)
      expectOneSentenceAndHint(r.stderr)
      expect(r.stderr).toMatch(message)
    })

    it('exits 3 with a --port hint when the port is taken', async () => {
      const taken = net.createServer()
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
      try {
        const { port } = taken.address() as net.AddressInfo
        const r = await cli(db, ['serve', '--port', String(port)])
        expect(r.code).toBe(3)
        expectOneSentenceAndHint(r.stderr)
        expect(r.stderr).toMatch(
          new RegExp(`Error: Port ${port} on 127\\.0\\.0\\.1 is already in use\\.\\nHint: .*--port`),
        )
      } finally {
        await new Promise((resolve) => taken.close(resolve))
      }
    }, 60_000)
  })
}
