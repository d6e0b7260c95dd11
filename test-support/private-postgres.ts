import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.mjs'

const run = promisify(execFile)

/** A Postgres server of the test's own, which the test may stop and start again. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  url: string
  /** Stops the server (`pg_ctl stop -m fast`: sessions are terminated, new connections refused). */
  stop(): Promise<void>
  /** Starts it again on the same port and data. */
  start(): Promise<void>
  /** Stops it and removes its files. */
  close(): Promise<void>
}

async function serverBinDir(): Promise<string> {
  try {
    await run('initdb', ['--version'])
    await run('pg_ctl', ['--version'])
    return ''
  } catch {
    // Debian keeps the server binaries off PATH.
    const root = '/usr/lib/postgresql'
    const versions = existsSync(root)
      ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
      : []
    const newest = versions.sort((a, b) => Number(b) - Number(a))[0]
    if (newest === undefined)
      throw new Error(
        'The Postgres server binaries (initdb, pg_ctl) are not installed: install the postgresql package.',
      )
    return path.join(root, newest, 'bin')
  }
}

/**
 * Creates and starts a throwaway Postgres cluster (initdb in a temp dir, a free loopback port), for
 * tests that stop the server: the shared TEST_DATABASE_URL server is never stopped. Postgres
 * refuses to run as root, so as root the cluster belongs to the `postgres` OS user.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await serverBinDir()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-pg-'))
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim())
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim())
    chownSync(dir, uid, gid)
  }
  const pg = (tool: string, args: string[]) => {
    const file = path.join(bin, tool)
    return asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args)
  }
  const data = path.join(dir, 'data')
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  let running = false
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start'])
    running = true
  }
  const stop = async () => {
    running = false
    await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
  }
  // A test process that dies does not leave the server running.
  const stopOnExit = () => {
    if (!running) return
    const args = ['-D', data, '-m', 'immediate', 'stop']
    const file = path.join(bin, 'pg_ctl')
    try {
      execFileSync(asRoot ? 'runuser' : file, asRoot ? ['-u', 'postgres', '--', file, ...args] : args, {
        stdio: 'ignore',
      })
    } catch {
      // already stopped
    }
  }
  process.once('exit', stopOnExit)
  try {
    await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
    await start()
  } catch (error) {
    process.off('exit', stopOnExit)
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async close() {
      process.off('exit', stopOnExit)
      if (running) await stop().catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
