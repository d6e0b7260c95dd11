// The one PgBouncer launcher, plain JavaScript so that both the tests (through pgbouncer.ts, typed
// by start-pgbouncer.d.mts) and `npm run bench` (bench/pooler.bench.mjs, no build step) use it.
import { execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './free-port.mjs'

function binary() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/sbin', '/usr/local/sbin')) {
    const file = path.join(dir, 'pgbouncer')
    if (dir && existsSync(file)) return file
  }
  throw new Error('PgBouncer is not installed: install the pgbouncer package (apt-get install pgbouncer).')
}

/** uid and gid of the `postgres` OS user when running as root (PgBouncer refuses to run as root), else null. */
function unprivileged() {
  if (process.getuid?.() !== 0) return null
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim())
  return { uid: id('-u'), gid: id('-g') }
}

/** Writes the stock configuration but `pool_mode = transaction`, forwarding every database to `upstream`. */
function writeConfig(dir, port, upstream) {
  const ini = path.join(dir, 'pgbouncer.ini')
  writeFileSync(path.join(dir, 'users.txt'), '"postgres" ""\n')
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      '',
    ].join('\n'),
  )
  return ini
}

/** Runs PgBouncer once; resolves with the child when it logs "process up", rejects if it exits first. */
function launch(file, ini, user) {
  return new Promise((resolve, reject) => {
    const proc = spawn(file, [ini], { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}) })
    let log = ''
    proc.stderr.setEncoding('utf8').on('data', (chunk) => {
      if (log.length < 10_000) log += chunk
      if (/process up/.test(chunk)) resolve(proc)
    })
    proc.once('error', reject)
    proc.once('exit', (code) =>
      reject(new Error(`pgbouncer exited (${code}) before it was up: ${log.trim().split('\n').pop() ?? ''}`)),
    )
  })
}

/** See start-pgbouncer.d.mts. */
export async function startPgBouncer(target) {
  const file = binary()
  const user = unprivileged()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-pgbouncer-'))
  if (user) chownSync(dir, user.uid, user.gid)
  const port = await freePort()
  const ini = writeConfig(dir, port, new URL(target))
  let child = null
  const start = async () => {
    child = await launch(file, ini, user)
  }
  const stop = async () => {
    const proc = child
    child = null
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    proc.kill('SIGTERM')
    await exited
  }
  const killOnExit = () => child?.kill('SIGKILL')
  process.once('exit', killOnExit)
  try {
    await start()
  } catch (error) {
    process.off('exit', killOnExit)
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop,
    start,
    async close() {
      await stop()
      process.off('exit', killOnExit)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
