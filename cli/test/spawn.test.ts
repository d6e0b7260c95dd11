import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const BIN = new URL('../dist/bin.js', import.meta.url).pathname
const run = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })

describe.skipIf(!existsSync(BIN))('the built hms-admin binary', () => {
  it('prints help with an example and exits 0', () => {
    const r = run(['--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/Example:/)
  })
  it('exits 2 on bad usage without a stack trace', () => {
    const r = run(['audit', '--format', 'pdf'])
    expect(r.status).toBe(2)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
  it('exits 3 when the database is down, one sentence and a hint', () => {
    const r = run(['--database-url', 'postgres://postgres@127.0.0.1:1/x', 'audit'])
    expect(r.status).toBe(3)
    expect(r.stderr).toMatch(/^Error: .*\nHint: /)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})
