import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DATABASE_URL, DURATION, ORIGIN, PORT, parseInput, SWITCH } from '../src/cli-input.js'
import { cli } from './harness.js'

// The CLI's edges: a malformed flag or environment variable is bad usage (exit 2, one sentence and
// a hint, the value never echoed) and nothing is opened or written.

const PASSWORD = 'hunter2-not-for-logs'

describe('the CLI input rules', () => {
  const RULES = { PORT, DURATION, ORIGIN, DATABASE_URL, SWITCH }
  it.each([
    ['PORT', '8787', 8787],
    ['PORT', 0, 0],
    ['DURATION', '12h', 12 * 3_600_000],
    ['ORIGIN', 'https://Shop.example/', 'https://shop.example'],
    ['ORIGIN', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['DATABASE_URL', ' postgres://u:p@db:5432/shop ', 'postgres://u:p@db:5432/shop'],
    ['SWITCH', 'TRUE', true],
    ['SWITCH', 'off', false],
    ['SWITCH', '', false],
  ] as const)('%s accepts %j', (rule, value, expected) => {
    expect(parseInput('x', RULES[rule] as typeof PORT, value)).toEqual(expected)
  })

  it.each([
    ['PORT', '-1'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['PORT', '0x50'],
    ['DURATION', '7 days'],
    ['DURATION', '-1d'],
    ['ORIGIN', '*'],
    ['ORIGIN', 'shop.example'],
    ['ORIGIN', 'https://shop.example/path'],
    ['ORIGIN', 'ftp://shop.example'],
    ['DATABASE_URL', 'mysql://db/shop'],
    ['SWITCH', 'maybe'],
  ] as const)('%s refuses %j with exit code 2', (rule, value) => {
    expect(() => parseInput('--flag', RULES[rule] as typeof PORT, value)).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/^--flag must be .+\.$/) }),
    )
  })
})

describe('hms-admin with malformed flags or environment', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-input-'))
  const dataDir = path.join(dir, 'never-created')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each([
    [['list'], { DATABASE_URL: `mysql://admin:${PASSWORD}@db/shop` }, /^Error: DATABASE_URL must be a postgres:\/\//],
    [['--database-url', `http://admin:${PASSWORD}@db`, 'list'], {}, /^Error: --database-url must be/],
    [['list'], { HMS_ALLOW_BROADCASTER_FALLBACK: 'yes please' }, /^Error: HMS_ALLOW_BROADCASTER_FALLBACK must be 1/],
    [['audit', '--expiring-within', 'soon'], {}, /^Error: --expiring-within must be a duration/],
    [['history', '--limit', 'ten'], {}, /^Error: --limit must be a whole number/],
    [['session', 'list', '--status', 'paused'], {}, /^Error: --status must be scheduled, live or ended\./],
    [['serve', '--port', '99999'], {}, /^Error: --port must be/],
    [['serve', '--allow-origin', 'https://shop.example/checkout'], {}, /^Error: --allow-origin must be an origin/],
    [['serve', '--host', 'local host'], {}, /^Error: --host must be/],
    [['serve', '--rate-limit', 'lots'], {}, /^Error: --rate-limit must be/],
  ])('refuses %j with env %j: exit 2, one sentence and a hint', async (argv, env, message) => {
    const r = await cli(null, argv, { env: { HMS_ADMIN_DATA_DIR: dataDir, ...env } })
    expect([r.code, r.stdout]).toEqual([2, ''])
    expect(r.stderr).toMatch(message)
    expect(r.stderr).toMatch(/^Error: [^\n]+\.\nHint: [^\n]+\n$/)
    expect(r.stderr).not.toContain(PASSWORD)
    expect(existsSync(dataDir)).toBe(false)
  })
})
