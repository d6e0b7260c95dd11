import { readFileSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { XMLParser } from 'fast-xml-parser'
import { Ajv } from 'ajv'
import { testBackends, openMigrated } from '../../test-support/backends.js'
import { mintToken, mintBroadcasterToken, mintManagementToken, malformedToken } from '../../test-support/tokens.js'
import { fingerprintSecret } from '@hms-admin/core'
import { cli } from './harness.js'

const SARIF_REQUIRED = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  rules: { type: 'array', items: { type: 'object', required: ['id'] } },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { type: 'object', anyOf: [{ required: ['text'] }, { required: ['id'] }] },
              },
            },
          },
        },
      },
    },
  },
}

for (const backend of testBackends()) {
  describe(`hms-admin end to end (${backend.name})`, () => {
    let db: Awaited<ReturnType<typeof backend.setup>>
    beforeAll(async () => {
      db = await backend.setup()
      const h = await openMigrated(db)
      await h.close()
    }, 60_000)
    afterAll(() => backend.teardown())

    it(`migrate is idempotent and lists its status (${backend.name})`, async () => {
      expect((await cli(db, ['migrate'])).code).toBe(0)
      const s = await cli(db, ['--json', 'migrate', '--status'])
      expect(s.code).toBe(0)
      expect(JSON.parse(s.stdout).migrations.every((m: { executedAt: string | null }) => m.executedAt)).toBe(true)
    })

    it(`adds influencers and refuses a taken handle (${backend.name})`, async () => {
      const handles = async () =>
        (JSON.parse((await cli(db, ['--json', 'influencer', 'list'])).stdout).influencers as { handle: string }[]).map(
          (influencer) => influencer.handle,
        )
      const before = await handles()
      expect((await cli(db, ['influencer', 'add', 'alice', '--name', 'Alice'])).code).toBe(0)
      expect((await cli(db, ['influencer', 'add', 'bob', '--name', 'Sam'])).code).toBe(0)
      expect((await cli(db, ['influencer', 'add', 'carol', '--name', 'Sam'])).code).toBe(0)
      const dup = await cli(db, ['influencer', 'add', 'alice', '--name', 'Other'])
      expect(dup.code).toBe(2)
      expect(dup.stderr).toMatch(/already taken/)
      expect((await handles()).sort()).toEqual([...before, 'alice', 'bob', 'carol'].sort())
    })

    it(`sets a viewer token from stdin and records one event (${backend.name})`, async () => {
      const token = await mintToken()
      const r = await cli(db, ['set-token', 'alice', '--viewer-token', '-'], { stdin: `${token}\n` })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).not.toMatch(/shell history/)
      const h = await cli(db, ['--json', 'history', 'alice'])
      const events = JSON.parse(h.stdout).events
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ field: 'viewerToken', action: 'set', oldFingerprint: null })
      expect(events[0].newFingerprint).toMatch(/^sha256:/)
    })

    it(`warns about a literal secret on the command line (${backend.name})`, async () => {
      const code = 'abc-defg-hij'
      const r = await cli(db, ['set-token', '@alice', '--viewer-room-code', code])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toMatch(/shell history/)
    })

    const historyOfAlice = async () => JSON.parse((await cli(db, ['--json', 'history', 'alice'])).stdout).events

    it(`refuses a malformed token with exit 2 and writes nothing (${backend.name})`, async () => {
      const before = await historyOfAlice()
      const r = await cli(db, ['set-token', 'alice', '--viewer-token', '-'], {
        stdin: malformedToken('payload_not_json'),
      })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/nothing was written/)
      expect(await historyOfAlice()).toEqual(before)
    })

    it.each([
      ['token.expired', () => mintToken({ exp: Math.floor(Date.now() / 1000) - 60 })],
      ['token.not_app_token', () => mintManagementToken()],
      ['token.malformed', async () => malformedToken('four_parts')],
      ['token.unrecognized', async () => 'not-a-token-at-all'],
    ])(`refuses a viewer token with %s, exit 2, nothing written (${backend.name})`, async (code, make) => {
      const before = await historyOfAlice()
      const r = await cli(db, ['set-token', 'alice', '--viewer-token', '-'], { stdin: await make() })
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(code)
      expect(await historyOfAlice()).toEqual(before)
    })

    it(`writes nothing with --dry-run, and stores a refused value with --force and records it (${backend.name})`, async () => {
      const bob = async () => {
        const h = await openMigrated(db)
        try {
          const row = await h.db
            .selectFrom('influencers')
            .selectAll()
            .where('handle', '=', 'bob')
            .executeTakeFirstOrThrow()
          const events = await h.db
            .selectFrom('hms_credential_events')
            .selectAll()
            .where('influencer_id', '=', row.id)
            .orderBy('id')
            .execute()
          return { row, events }
        } finally {
          await h.close()
        }
      }
      const before = await bob()
      const good = await mintBroadcasterToken()
      const dry = await cli(db, ['set-token', 'bob', '--broadcaster-token', '-', '--dry-run'], { stdin: good })
      expect(dry.code, dry.stderr).toBe(0)
      expect(dry.stdout).toMatch(/Dry run: would change broadcasterToken of @bob; nothing written\./)
      const expired = await mintToken({ exp: Math.floor(Date.now() / 1000) - 60 })
      const refused = await cli(db, ['set-token', 'bob', '--viewer-token', '-'], { stdin: expired })
      expect(refused.code).toBe(2)
      const dryForced = await cli(db, ['--json', 'set-token', 'bob', '--viewer-token', '-', '--dry-run', '--force'], {
        stdin: expired,
      })
      expect(dryForced.code, dryForced.stderr).toBe(0)
      expect(JSON.parse(dryForced.stdout)).toMatchObject({
        dryRun: true,
        changes: [{ field: 'viewerToken', old: null, new: fingerprintSecret(expired) }],
        findings: [{ code: 'token.expired', severity: 'error' }],
      })
      expect(await bob()).toEqual(before)

      const forced = await cli(db, ['set-token', 'bob', '--viewer-token', '-', '--force'], { stdin: ` ${expired}\n` })
      expect(forced.code, forced.stderr).toBe(0)
      expect(forced.stderr).toMatch(/error {3}token\.expired \[viewerToken\]/)
      expect(forced.stdout).toMatch(/Updated viewerToken of @bob\./)
      const after = await bob()
      expect(after.row).toMatchObject({
        hms_viewer_auth_token: expired,
        hms_auth_token: null,
        hms_credentials_version: before.row.hms_credentials_version + 1,
      })
      expect(after.events.slice(before.events.length)).toMatchObject([
        {
          actor: 'tester',
          action: 'set',
          field: 'viewerToken',
          old_fingerprint: null,
          new_fingerprint: fingerprintSecret(expired),
        },
      ])

      // Leave bob as he was for the tests below, which expect no error findings.
      expect((await cli(db, ['clear-token', 'bob', '--viewer'])).code).toBe(0)
      expect((await bob()).row.hms_viewer_auth_token).toBeNull()
    })

    it(`fails on unknown and ambiguous influencers with candidates (${backend.name})`, async () => {
      const unknown = await cli(db, ['show', 'nobody'])
      expect(unknown.code).toBe(2)
      expect(unknown.stderr).toMatch(/No influencer matches/)
      const ambiguous = await cli(db, ['show', 'sam'])
      expect(ambiguous.code).toBe(2)
      expect(ambiguous.stderr).toMatch(/@bob/)
      expect(ambiguous.stderr).toMatch(/@carol/)
    })

    it(`rejects empty stdin and unreadable stdin with exit 2 (${backend.name})`, async () => {
      expect((await cli(db, ['set-token', 'alice', '--viewer-token', '-'], { stdin: '' })).code).toBe(2)
      const broken = new Readable({
        read() {
          this.destroy(new Error('EIO'))
        },
      })
      const r = await cli(db, ['set-token', 'alice', '--viewer-token', '-'], { stdin: broken })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/Could not read/)
    })

    it(`sets credentials interactively with scripted answers, and cancel exits 130 (${backend.name})`, async () => {
      const h = await openMigrated(db)
      const carol = await h.db
        .selectFrom('influencers')
        .select('id')
        .where('handle', '=', 'carol')
        .executeTakeFirstOrThrow()
      await h.close()
      const token = await mintToken()
      const r = await cli(db, ['set-token'], { tty: true, answers: [carol.id, '', '', token, '', true] })
      expect(r.code, r.stderr).toBe(0)
      const cancelled = await cli(db, ['set-token'], { tty: true, answers: [carol.id] })
      expect(cancelled.code).toBe(130)
      expect(cancelled.stderr).not.toMatch(/at .*\.js/)
    })

    it(`shows and lists masked credentials with badges and viewer source (${backend.name})`, async () => {
      const show = await cli(db, ['show', 'alice'])
      expect(show.code).toBe(0)
      expect(show.stdout).toMatch(/✅ Ready/)
      expect(show.stdout).toMatch(/source: viewer/)
      const json = JSON.parse((await cli(db, ['--json', 'show', 'alice'])).stdout)
      expect(json).toMatchObject({ handle: 'alice', status: 'ready' })
      const list = await cli(db, ['list'])
      expect(list.stdout).toMatch(/❌ Not configured/)
    })

    it(`audits in every format; junit and sarif parse (${backend.name})`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'audit-'))
      const text = await cli(db, ['audit'])
      expect(text.code).toBe(0)
      const warn = await cli(db, ['audit', '--fail-on', 'warning'])
      expect(warn.code).toBe(1)
      const junit = await cli(db, ['audit', '--format', 'junit', '--output', path.join(dir, 'a.xml')])
      expect(junit.code).toBe(0)
      const parsed = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(path.join(dir, 'a.xml'), 'utf8'))
      expect(parsed.testsuites.testsuite.testcase.length).toBeGreaterThan(0)
      const sarif = await cli(db, ['audit', '--format', 'sarif', '--fail-on', 'never'])
      const ajv = new Ajv({ strict: false })
      expect(ajv.validate(SARIF_REQUIRED, JSON.parse(sarif.stdout)), JSON.stringify(ajv.errors)).toBe(true)
      const gh = await cli(db, ['audit', '--format', 'github', '--fail-on', 'warning'])
      expect(gh.stdout).toMatch(/^::(warning|error) /m)
      const j = JSON.parse((await cli(db, ['audit', '--format', 'json'])).stdout)
      const stored = JSON.parse((await cli(db, ['--json', 'influencer', 'list'])).stdout).influencers
      expect(j.summary.influencers).toBe(stored.length)
      expect((await cli(db, ['audit', '--expiring-within', 'soon'])).code).toBe(2)
    })

    it(`clears tokens, starts and ends sessions (${backend.name})`, async () => {
      expect((await cli(db, ['clear-token', 'carol', '--viewer'])).code).toBe(0)
      expect((await cli(db, ['clear-token', 'carol'])).code).toBe(2)
      const s = JSON.parse((await cli(db, ['--json', 'session', 'start', 'alice', '--title', 'Launch'])).stdout)
      expect(s.status).toBe('live')
      const sessions = JSON.parse((await cli(db, ['--json', 'session', 'list'])).stdout).sessions as { id: string }[]
      expect(sessions.filter((session) => session.id === s.id)).toMatchObject([{ status: 'live' }])
      expect((await cli(db, ['session', 'end', s.id])).code).toBe(0)
    })
  })
}

describe('hms-admin environment failures', () => {
  it('exits 3 when the postgres server cannot be reached', async () => {
    const r = await cli({ databaseUrl: 'postgres://postgres@127.0.0.1:1/nope' }, ['audit'])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/cannot be reached/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
  it('exits 2 on unknown commands and 0 on --help', async () => {
    expect((await cli({ dataDir: '/nonexistent' }, ['frobnicate'])).code).toBe(2)
    expect((await cli({ dataDir: '/nonexistent' }, ['audit', '--help'])).code).toBe(0)
  })
  it('masks a token or room code pasted as a session id, and echoes anything else', async () => {
    const token = await mintToken()
    for (const [typed, shown] of [
      [token, /"eyJhbG…\S{4}" is not a session id\./],
      ['abc-defg-hij', /"ab…j" is not a session id\./],
      ['nope', /"nope" is not a session id\./],
    ] as const) {
      const r = await cli({ dataDir: '/nonexistent' }, ['session', 'end', typed])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(shown)
      if (typed !== 'nope') expect(r.all).not.toContain(typed)
    }
  })
})
