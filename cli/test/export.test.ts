import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprintSecret, maskSecret } from '@hms-admin/core'
import type { DatabaseOptions } from '@hms-admin/database'
import { testBackends } from '../../test-support/backends.js'
import { mintBroadcasterToken, mintToken } from '../../test-support/tokens.js'
import { parseCsv } from '../src/csv-records.js'
import { EXPORT_COLUMNS } from '../src/commands/export.js'
import { cli } from './harness.js'

const NOW = new Date('2026-06-01T00:00:00Z')
const nowS = NOW.getTime() / 1000

for (const backend of testBackends()) {
  describe(`hms-admin export (${backend.name})`, () => {
    let db: DatabaseOptions
    const s = { viewer: '', broadcaster: '', roomCode: 'exp-ortz-abc' }
    beforeAll(async () => {
      db = await backend.setup()
      s.viewer = await mintToken({ exp: nowS + 3 * 86400, user_id: 'guest-7' }, { now: NOW })
      s.broadcaster = await mintBroadcasterToken({ exp: nowS + 40 * 86400 }, { now: NOW })
      for (const argv of [
        ['influencer', 'add', 'ex', '--name', 'Ex, Ample'],
        ['influencer', 'add', 'empty', '--name', 'Empty'],
        ['import', '--file', '-'],
      ])
        expect(
          (
            await cli(db, argv, {
              now: NOW,
              stdin: `influencer,broadcaster_token,viewer_token,viewer_room_code\nex,${s.broadcaster},${s.viewer},${s.roomCode}\n`,
            })
          ).code,
        ).toBe(0)
    }, 120_000)
    afterAll(() => backend.teardown())

    it('writes CSV: one row per influencer and slot, with masks, fingerprints, claims, expiry and status, never a value', async () => {
      const r = await cli(db, ['export'], { now: NOW })
      expect(r.code, r.stderr).toBe(0)
      const { records } = parseCsv(r.stdout)
      expect(records[0]!.cells).toEqual([...EXPORT_COLUMNS])
      const rows = records.slice(1).map((rec) => Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, rec.cells[i]])))
      expect(rows).toHaveLength(8)
      const viewer = rows.find((row) => row.handle === 'ex' && row.field === 'viewerToken')!
      expect(viewer).toMatchObject({
        name: 'Ex, Ample',
        status: 'ready',
        present: 'true',
        masked: maskSecret(s.viewer),
        fingerprint: fingerprintSecret(s.viewer),
        format: 'jwt',
        role: 'viewer',
        user_id: 'guest-7',
        type: 'app',
        version: '2',
        exp: String(nowS + 3 * 86400),
        expires_at: new Date((nowS + 3 * 86400) * 1000).toISOString(),
        usable: 'true',
        findings: 'token.expiring',
      })
      expect(rows.find((row) => row.handle === 'empty' && row.field === 'viewerToken')).toMatchObject({
        status: 'not_configured',
        present: 'false',
        masked: '',
      })
      for (const secret of Object.values(s)) expect(r.stdout).not.toContain(secret)
    })

    it('writes JSON with the same facts (--json or --format json)', async () => {
      for (const argv of [
        ['--json', 'export'],
        ['export', '--format', 'json'],
      ]) {
        const r = await cli(db, argv, { now: NOW })
        expect(r.code, r.stderr).toBe(0)
        const ex = JSON.parse(r.stdout).influencers.find((i: { handle: string }) => i.handle === 'ex')
        expect(ex.status).toBe('ready')
        expect(ex.slots.find((x: { field: string }) => x.field === 'broadcasterToken')).toMatchObject({
          fingerprint: fingerprintSecret(s.broadcaster),
          claims: { role: 'broadcaster', exp: nowS + 40 * 86400, type: 'app' },
          findings: [],
        })
        for (const secret of Object.values(s)) expect(r.stdout).not.toContain(secret)
      }
    })
  })
}
