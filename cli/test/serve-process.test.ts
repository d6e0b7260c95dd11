import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testBackends } from '../../test-support/backends.js'
import { mintToken, payloadHasDecodeHazard } from '../../test-support/tokens.js'

// `npm start` as a user runs it: the built `hms-admin serve --demo` process on a fresh embedded
// data dir (or an empty Postgres database), `list` and `set-token` run as separate processes while
// it serves, a second instance on the same database, and a graceful stop on SIGTERM.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN = join(ROOT, 'cli/dist/bin.js')
/** What `npx hms-admin` runs: the workspace's bin link to the committed launcher. */
const NPX_BIN = join(ROOT, 'node_modules/.bin/hms-admin')
const START_SCRIPT = 'node cli/dist/bin.js serve --demo'
const SECRET = /eyJ[\w-]+\.[\w-]+\.[\w-]+/

/** The content of the newest owner-lock generation of an embedded data dir: "<pid> <start time>" or "released". */
function newestOwnerLock(dataDir: string): string {
  const newest = Math.max(...readdirSync(join(dataDir, 'lock')).map((n) => Number(/^owner\.(\d+)$/.exec(n)?.[1] ?? 0)))
  return readFileSync(join(dataDir, 'lock', `owner.${newest}`), 'utf8')
}

interface Finished {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

interface ServeProcess {
  child: ChildProcess
  url: string
  stdout(): string
  stderr(): string
  exited: Promise<Finished>
}

function collect(child: ChildProcess): { stdout(): string; stderr(): string; exited: Promise<Finished> } {
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  )
  return { stdout: () => stdout, stderr: () => stderr, exited }
}

/** Runs `npx hms-admin <args>` to completion, with `input` on stdin. */
async function cli(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input?: string },
): Promise<Finished> {
  const child = spawn(process.execPath, [NPX_BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const output = collect(child)
  child.stdin!.end(options.input ?? '')
  return output.exited
}

/** Starts `hms-admin serve <args>` and resolves once it printed its instructions. */
async function serve(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = collect(child)
  // Waits on the output itself; a start that never finishes is cut by the test's timeout.
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!output.stdout().includes('Press Ctrl+C to stop.')) return
      child.stdout!.off('data', check)
      resolve()
    }
    child.stdout!.on('data', check)
    void output.exited.then((finished) => reject(new Error(`serve exited early: ${JSON.stringify(finished)}`)))
  })
  const url = /Listening on (http:\/\/\S+)/.exec(output.stdout())?.[1]
  if (url === undefined) throw new Error(`no URL printed: ${output.stdout()}`)
  return { child, url, ...output }
}

/** Opens a connection to the server; `get(path)` then sends one request and resolves with its status line. */
async function openConnection(url: string): Promise<{ get(path: string): Promise<string> }> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  let data = ''
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')))
  socket.on('error', () => {})
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(data.split('\r\n')[0] ?? '')))
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  return {
    get(path) {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
      return closed
    },
  }
}

/** `DBState` of PGlite's control file (offset 16 of ControlFileData): 1 shut down, 6 in production. */
function controlFileState(dataDir: string): number {
  return readFileSync(join(dataDir, 'pgdata', 'global', 'pg_control')).readUInt32LE(16)
}

async function cleanToken(): Promise<string> {
  for (;;) {
    const token = await mintToken({ user_id: 'process-test' })
    if (!payloadHasDecodeHazard(token)) return token
  }
}

describe('npm start (hms-admin serve --demo) as a real process', () => {
  it('is the start script of the workspace', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.start).toBe(START_SCRIPT)
  })

  describe.each(testBackends().map((backend) => [backend.name, backend] as const))('on %s', (name, backend) => {
    let cwd: string
    let env: NodeJS.ProcessEnv
    const running: ChildProcess[] = []

    beforeAll(async () => {
      cwd = mkdtempSync(join(os.tmpdir(), 'hms-start-'))
      env = { ...process.env, NO_COLOR: '1' }
      delete env.DATABASE_URL
      delete env.HMS_ADMIN_DATA_DIR
      delete env.HMS_ALLOW_BROADCASTER_FALLBACK
      // PGlite: nothing but an empty directory, as in a fresh clone (the data dir is created).
      if (name === 'postgres') env.DATABASE_URL = (await backend.setup()).databaseUrl
    })

    afterAll(async () => {
      for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await backend.teardown()
      rmSync(cwd, { recursive: true, force: true })
    })

    it(`serves the demo, lets list and set-token run meanwhile, and stops cleanly on SIGTERM (${name})`, async () => {
      const dataDir = join(cwd, '.hms-admin')
      const a = await serve(['--demo', '--port', '0'], { cwd, env })
      running.push(a.child)

      // What it printed: the URL and the commands to try next, no secret.
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(a.stdout()).toContain('Seeded 3 demo influencers')
      expect(a.stdout()).toContain(`Demo page:     ${a.url}/`)
      expect(a.stdout()).toContain(`curl ${a.url}/api/live-streams`)
      expect(a.stdout()).toContain('npx hms-admin list')
      expect(a.stdout() + a.stderr()).not.toMatch(SECRET)

      const page = await fetch(`${a.url}/`)
      expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8'])
      expect(await page.text()).toContain('<live-stream-list api-base="/api"')
      const list = (await (await fetch(`${a.url}/api/live-streams`)).json()) as {
        streams: { sessionId: string; access: string; influencer: { handle: string } }[]
      }
      const byHandle = Object.fromEntries(list.streams.map((stream) => [stream.influencer.handle, stream]))
      expect(Object.fromEntries(Object.entries(byHandle).map(([handle, stream]) => [handle, stream.access]))).toEqual({
        'demo-ada': 'ready',
        'demo-bo': 'limited',
        'demo-cy': 'not_configured',
      })

      // A second instance on the same database (for PGlite, through the first one's socket).
      const b = await serve(['--port', '0'], { cwd, env })
      running.push(b.child)

      // `npx hms-admin list` in another terminal while serve runs.
      const listed = await cli(['list'], { cwd, env })
      expect([listed.code, listed.stderr]).toEqual([0, ''])
      expect(listed.stdout).toMatch(/@demo-ada\tDemo Ada \(ready\)\t✅ Ready/)
      expect(listed.stdout).toMatch(/@demo-bo\tDemo Bo \(limited\)\t⚠️ Limited/)
      expect(listed.stdout).toMatch(/@demo-cy\tDemo Cy \(not configured\)\t❌ Not configured/)
      if (name === 'pglite') expect(newestOwnerLock(dataDir).split(' ')[0]).toBe(String(a.child.pid))

      // set-token is served by both running instances (how fast is `npm run bench`'s business): each
      // is polled until its answer changes, bounded by the test's timeout, not by a clock.
      const bo = byHandle['demo-bo']!
      const viewerUrl = (server: ServeProcess) => `${server.url}/api/live-streams/${bo.sessionId}/viewer`
      for (const server of [a, b]) expect((await fetch(viewerUrl(server))).status).toBe(200)
      const token = await cleanToken()
      const set = await cli(['set-token', 'demo-bo', '--viewer-token', '-'], { cwd, env, input: token })
      expect(set.code).toBe(0)
      expect(set.stdout + set.stderr).not.toContain(token)
      await Promise.all(
        [a, b].map(async (server) => {
          for (;;) {
            const body = (await (await fetch(viewerUrl(server))).json()) as {
              access?: string
              credentials?: { authToken?: string }
            }
            if (body.credentials?.authToken === token) {
              expect(body.access).toBe('ready')
              return
            }
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
        }),
      )

      // The second instance stops on its own; the first keeps serving.
      b.child.kill('SIGTERM')
      expect(await b.exited).toMatchObject({ code: 0, signal: null })
      expect((await fetch(`${a.url}/healthz`)).status).toBe(200)

      // SIGTERM while requests are in flight: each needs a database read (unknown ids), and each
      // is answered before the database closes.
      const connections = await Promise.all(Array.from({ length: 40 }, () => openConnection(a.url)))
      // Accepted by the server, not only by the kernel.
      await new Promise((resolve) => setTimeout(resolve, 100))
      const answers = connections.map((connection) => connection.get(`/api/live-streams/${randomUUID()}/viewer`))
      a.child.kill('SIGTERM')
      const stopped = await a.exited
      expect(new Set(await Promise.all(answers))).toEqual(new Set(['HTTP/1.1 404 Not Found']))
      expect({ code: stopped.code, signal: stopped.signal }).toEqual({ code: 0, signal: null })
      expect(stopped.stderr).toContain('Stopped.')
      expect(stopped.stderr).not.toMatch(/database unavailable|\n\s+at |Error/)
      expect(stopped.stdout + stopped.stderr).not.toMatch(SECRET)

      if (name === 'pglite') {
        // The embedded database was shut down, not abandoned: control file, socket and lock.
        expect(controlFileState(dataDir)).toBe(1)
        expect(existsSync(join(dataDir, '.s.PGSQL.5432'))).toBe(false)
        expect(newestOwnerLock(dataDir)).toBe('released')
      }

      // The change outlived the server.
      const after = await cli(['list'], { cwd, env })
      expect(after.code).toBe(0)
      expect(after.stdout).toMatch(/@demo-bo\tDemo Bo \(limited\)\t✅ Ready/)
    }, 180_000)
  })
})
