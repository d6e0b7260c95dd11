import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listModes } from '../../test-support/list-modes.js'

// Issue 13 with a real second local account: after `serve --demo` has written credentials into an
// embedded data dir, another unprivileged user can neither read nor write any file in it, nor list
// it, nor connect to its socket; a data dir opened up to 777 is tightened by the next command,
// which warns once. CI runs as root, which can create (and afterwards delete) that account.

const BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url))
const OTHER = `hmsother${randomBytes(3).toString('hex')}`
let parent = ''

// Runs as the other account: tries every access and reports what happened, entry by entry.
const PROBE = `
import { openSync, closeSync, readdirSync } from 'node:fs'
import net from 'node:net'
const { dataDir, files, socket } = JSON.parse(process.argv[2])
const attempt = (fn) => { try { fn(); return 'allowed' } catch (e) { return e.code } }
const result = { list: attempt(() => readdirSync(dataDir)), read: {}, write: {} }
for (const f of files) {
  result.read[f] = attempt(() => closeSync(openSync(f, 'r')))
  result.write[f] = attempt(() => closeSync(openSync(f, 'r+')))
}
result.connect = await new Promise((resolve) => {
  const s = net.connect(socket, () => { s.destroy(); resolve('allowed') })
  s.on('error', (e) => resolve(e.code))
})
process.stdout.write(JSON.stringify(result))
`

function probeAsOther(dataDir: string): {
  list: string
  read: Record<string, string>
  write: Record<string, string>
  connect: string
} {
  const files = listModes(dataDir).files.map((f) => f.path)
  const out = execFileSync(
    'runuser',
    [
      '-u',
      OTHER,
      '--',
      path.join(parent, 'node'),
      path.join(parent, 'probe.mjs'),
      JSON.stringify({ dataDir, files, socket: path.join(dataDir, '.s.PGSQL.5432') }),
    ],
    { encoding: 'utf8' },
  )
  return JSON.parse(out)
}

function everyValue(record: Record<string, string>): string[] {
  return [...new Set(Object.values(record))]
}

beforeAll(() => {
  execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', OTHER])
  // A parent every user may enter, so that only the data dir's own mode keeps the other user out.
  parent = mkdtempSync(path.join(os.tmpdir(), 'hms-second-account-'))
  chmodSync(parent, 0o755)
  writeFileSync(path.join(parent, 'probe.mjs'), PROBE, { mode: 0o644 })
  // CI's Node 22 and 24 live under root's private home: the other account gets its own copy.
  copyFileSync(process.execPath, path.join(parent, 'node'))
  chmodSync(path.join(parent, 'node'), 0o755)
})

afterAll(() => {
  execFileSync('userdel', [OTHER])
  rmSync(parent, { recursive: true, force: true })
})

describe('a second local account', () => {
  it('cannot list, read or write the data dir of `serve --demo`, nor connect to its socket; a 777 dir is tightened with a warning', async () => {
    const dataDir = path.join(parent, 'data')
    const serve = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    serve.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise((resolve) => serve.once('close', resolve))
    await new Promise<void>((resolve, reject) => {
      serve.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString()
        if (stdout.includes('Press Ctrl+C to stop.')) resolve()
      })
      serve.once('close', () => reject(new Error(`serve exited: ${stderr}`)))
    })
    try {
      expect(stdout).toContain('Seeded')
      const running = probeAsOther(dataDir)
      expect(running.list).toBe('EACCES')
      expect(Object.keys(running.read).length).toBeGreaterThan(500)
      expect(everyValue(running.read)).toEqual(['EACCES'])
      expect(everyValue(running.write)).toEqual(['EACCES'])
      expect(running.connect).toBe('EACCES')
    } finally {
      serve.kill('SIGTERM')
      await exited
    }
    const modes = listModes(dataDir)
    expect(modes.dirs.filter((d) => d.mode !== 0o700)).toEqual([])
    expect(modes.files.filter((f) => f.mode !== 0o600)).toEqual([])

    // Opened up by hand (or by an older version): the next command tightens it and says so once.
    chmodSync(dataDir, 0o777)
    const opened = probeAsOther(dataDir)
    expect(opened.list).toBe('allowed')
    const list = spawn(process.execPath, [BIN, 'list', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let listErr = ''
    list.stderr!.on('data', (d: Buffer) => (listErr += d.toString()))
    const code = await new Promise((resolve) => list.once('close', resolve))
    expect(code).toBe(0)
    const warnings = listErr.split('\n').filter((l) => l.startsWith('Warning:'))
    expect(warnings).toEqual([
      `Warning: The data directory ${dataDir} was open to other users (mode 777); it is now private (directories 0700, files 0600).`,
    ])
    const after = probeAsOther(dataDir)
    expect(after.list).toBe('EACCES')
    expect(everyValue(after.read)).toEqual(['EACCES'])
  }, 300_000)
})
