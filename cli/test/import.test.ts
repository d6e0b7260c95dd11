import { Readable } from 'node:stream'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fingerprintSecret } from '@hms-admin/core'
import { addInfluencer, type DatabaseOptions } from '@hms-admin/database'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { mintBroadcasterToken, mintToken } from '../../test-support/tokens.js'
import { IMPORT_MAX_BYTES } from '../src/read-limited.js'
import { cli } from './harness.js'

const NOW = new Date('2026-06-01T00:00:00Z')
const nowS = NOW.getTime() / 1000
const fresh = (claims: Record<string, unknown> = {}) => mintToken({ exp: nowS + 30 * 86400, ...claims }, { now: NOW })
const code = (n: number) => `abc-${'defghijk'.slice(n % 5, (n % 5) + 4)}-x${String.fromCharCode(97 + n)}z`

for (const backend of testBackends()) {
  describe(`hms-admin import (${backend.name})`, { timeout: 120_000 }, () => {
    let db: DatabaseOptions
    let run: (argv: string[], o?: Parameters<typeof cli>[2]) => ReturnType<typeof cli>
    let prefix = ''
    let n = 0
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-import-'))
    beforeAll(async () => {
      db = await backend.setup()
      run = (argv, o = {}) => cli(db, argv, { now: NOW, ...o })
    }, 60_000)
    afterAll(async () => {
      await backend.teardown()
      rmSync(dir, { recursive: true, force: true })
    })
    beforeEach(() => {
      prefix = `t${++n}`
    })

    const withDb = async <T>(fn: (h: Awaited<ReturnType<typeof openMigrated>>) => Promise<T>) => {
      const h = await openMigrated(db)
      try {
        return await fn(h)
      } finally {
        await h.close()
      }
    }
    const add = (...handles: string[]) =>
      withDb(async (h) => {
        for (const handle of handles)
          await addInfluencer(h.db, { handle: `${prefix}${handle}`, name: `${prefix} ${handle}` })
      })
    const stored = (handle: string) =>
      withDb((h) =>
        h.db
          .selectFrom('influencers')
          .select([
            'hms_auth_token',
            'room_code',
            'hms_viewer_auth_token',
            'hms_viewer_room_code',
            'hms_credentials_version',
            'id',
          ])
          .where('handle', '=', `${prefix}${handle}`)
          .executeTakeFirst(),
      )
    const events = (handle: string) =>
      withDb((h) =>
        h.db
          .selectFrom('hms_credential_events as e')
          .innerJoin('influencers as i', 'i.id', 'e.influencer_id')
          .select(['e.action', 'e.field', 'e.old_fingerprint', 'e.new_fingerprint'])
          .where('i.handle', '=', `${prefix}${handle}`)
          .orderBy('e.id')
          .execute(),
      )

    it('imports long-form CSV with a BOM, CRLF and quoted commas, one history event per changed field', async () => {
      await add('a', 'b')
      await withDb((h) =>
        sql`update influencers set name = ${`Doe, ${prefix}`} where handle = ${`${prefix}b`}`.execute(h.db),
      )
      const [va, vb] = [await fresh(), await fresh({ user_id: 'other' })]
      const csv = `\uFEFFinfluencer,field,value\r\n@${prefix}a,viewer_token,${va}\r\n${prefix}a,viewer_room_code,${code(1)}\r\n"Doe, ${prefix}",viewer_token,"${vb}"\r\n`
      const r = await run(['import', '--file', '-'], { stdin: csv })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toMatch(/Imported 3 value\(s\) into 2 influencer\(s\)/)
      expect(await stored('a')).toMatchObject({
        hms_viewer_auth_token: va,
        hms_viewer_room_code: code(1),
        hms_credentials_version: 1,
      })
      expect((await stored('b'))?.hms_viewer_auth_token).toBe(vb)
      expect(await events('a')).toEqual([
        { action: 'import', field: 'viewerToken', old_fingerprint: null, new_fingerprint: fingerprintSecret(va) },
        {
          action: 'import',
          field: 'viewerRoomCode',
          old_fingerprint: null,
          new_fingerprint: fingerprintSecret(code(1)),
        },
      ])
    })

    it('imports the wide form: an empty cell leaves its slot unchanged, an unchanged value is no event', async () => {
      await add('w')
      const [b, v] = [await mintBroadcasterToken({ exp: nowS + 9 * 86400 }, { now: NOW }), await fresh()]
      expect((await run(['set-token', `${prefix}w`, '--viewer-room-code', code(2)])).code).toBe(0)
      const file = path.join(dir, `${prefix}.csv`)
      writeFileSync(
        file,
        `influencer,broadcaster_token,broadcaster_room_code,viewer_token,viewer_room_code\n${prefix}w,${b},,${v},${code(2)}\n`,
      )
      const r = await run(['import', '--file', file])
      expect(r.code, r.stderr).toBe(0)
      expect(await stored('w')).toMatchObject({
        hms_auth_token: b,
        room_code: null,
        hms_viewer_auth_token: v,
        hms_viewer_room_code: code(2),
      })
      expect((await events('w')).map((e) => `${e.action}:${e.field}`)).toEqual([
        'set:viewerRoomCode',
        'import:broadcasterToken',
        'import:viewerToken',
      ])
    })

    it.each([
      [
        'an array of long rows',
        (h: string, v: string) => JSON.stringify([{ influencer: h, field: 'viewer_token', value: v }]),
      ],
      [
        'an array of wide rows',
        (h: string, v: string) => JSON.stringify([{ influencer: h, viewer_token: v, viewer_room_code: '' }], null, 2),
      ],
      ['an object of influencers', (h: string, v: string) => JSON.stringify({ [h]: { viewerToken: v } })],
    ])('imports JSON: %s', async (_name, make) => {
      await add('j')
      const v = await fresh()
      const r = await run(['--json', 'import', '--file', '-'], { stdin: make(`${prefix}j`, v) })
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout).written).toEqual({ values: 1, influencers: 1, created: 0 })
      expect((await stored('j'))?.hms_viewer_auth_token).toBe(v)
    })

    it('writes nothing when any row is wrong, and names every problem by line with values masked', async () => {
      await add('x', 'y')
      const good = await fresh()
      const expired = await mintToken({ exp: nowS - 60 }, { now: NOW })
      const csv = [
        'influencer,field,value',
        `${prefix}x,viewer_token,${good}`,
        `${prefix}nobody,viewer_token,${await fresh()}`,
        `${prefix}y,viewer_token,${expired}`,
        `${prefix}x,viewer_token,${await fresh()}`,
        `${prefix}y,favourite_colour,blue`,
        `${prefix}y,viewer_room_code`,
        `${prefix}y,broadcaster_room_code,not-a-code`,
      ].join('\n')
      const r = await run(['import', '--file', '-'], { stdin: csv })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/^line 3: no influencer matches "t\d+nobody"/m)
      expect(r.stderr).toMatch(/^line 4: @t\d+y viewerToken eyJhbG…\S+: token\.expired: /m)
      expect(r.stderr).toMatch(/^line 5: a second value for @t\d+x viewerToken \(the first is on line 2\)/m)
      expect(r.stderr).toMatch(/^line 6: unknown field "favourite_colour"/m)
      expect(r.stderr).toMatch(/^line 7: expected 3 cells/m)
      expect(r.stderr).toMatch(/^line 8: .*room_code\.malformed/m)
      expect(r.stderr).toMatch(/6 problem\(s\); nothing was written/)
      for (const secret of [good, expired]) expect(r.all).not.toContain(secret.slice(-20))
      expect((await stored('x'))?.hms_viewer_auth_token).toBeNull()
      expect(await events('x')).toEqual([])
    })

    it('applies the cross-influencer rules across the file itself', async () => {
      await add('p', 'q')
      const same = await fresh()
      const r = await run(['import', '--file', '-'], {
        stdin: `influencer,field,value\n${prefix}p,viewer_token,${same}\n${prefix}q,viewer_token,${same}\n`,
      })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/^line 2: .*token\.shared/m)
      expect(r.stderr).toMatch(/^line 3: .*token\.shared/m)
      expect((await stored('p'))?.hms_viewer_auth_token).toBeNull()
    })

    it.each([
      ['a JSON string', '"hello"'],
      ['a JSON array of strings', '["a","b"]'],
      ['a long row with extra keys', '[{"influencer":"a","field":"viewer_token","value":"x","note":1}]'],
      ['broken JSON', '[{"influencer":'],
      ['an unknown wide column', 'influencer,viewer_token,secret_sauce\nx,,\n'],
      ['an unterminated quote', 'influencer,field,value\n"x,viewer_token,y\n'],
    ])('refuses %s (exit 2)', async (_name, text) => {
      const r = await run(['import', '--file', '-'], { stdin: text })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/^line \d+: /m)
      expect(r.stderr).toMatch(/nothing was written/)
    })

    it('--dry-run lists field, old and new fingerprints, and writes nothing', async () => {
      await add('d')
      const [old, next] = [await fresh(), await fresh()]
      expect((await run(['set-token', `${prefix}d`, '--viewer-token', '-'], { stdin: old })).code).toBe(0)
      const r = await run(['import', '--file', '-', '--dry-run'], {
        stdin: `influencer,field,value\n${prefix}d,viewer_token,${next}\n`,
      })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain(`2\t@${prefix}d\tviewerToken\t${fingerprintSecret(old)}\t${fingerprintSecret(next)}`)
      expect(r.all).not.toContain(next.slice(-20))
      const j = await run(['--json', 'import', '--file', '-', '--dry-run'], {
        stdin: `influencer,field,value\n${prefix}d,viewer_token,${next}\n`,
      })
      expect(JSON.parse(j.stdout).changes).toEqual([
        {
          line: 2,
          influencer: `${prefix}d`,
          field: 'viewerToken',
          old: fingerprintSecret(old),
          new: fingerprintSecret(next),
        },
      ])
      expect((await stored('d'))?.hms_viewer_auth_token).toBe(old)
    })

    it('names an influencer without a handle by name and id in the dry run and in problems', async () => {
      await add('n')
      const id = (await stored('n'))!.id
      await withDb((h) => h.db.updateTable('influencers').set({ handle: null }).where('id', '=', id).execute())
      const next = await fresh()
      const dry = await run(['import', '--file', '-', '--dry-run'], {
        stdin: `influencer,field,value\n${id},viewer_token,${next}\n`,
      })
      expect(dry.code, dry.stderr).toBe(0)
      expect(dry.stdout).toContain(`2\t${prefix} n (id ${id})\tviewerToken`)
      const expired = await mintToken({ exp: nowS - 60 }, { now: NOW })
      const bad = await run(['import', '--file', '-'], {
        stdin: `influencer,field,value\n${id},viewer_token,${expired}\n`,
      })
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain(`${prefix} n (id ${id}) viewerToken`)
      for (const r of [dry, bad]) {
        expect(r.all).not.toContain('@null')
        expect(r.all).not.toContain(`@${id}`)
      }
    })

    it('--force stores values with error findings, as set-token does', async () => {
      await add('f')
      const expired = await mintToken({ exp: nowS - 60 }, { now: NOW })
      const r = await run(['import', '--file', '-', '--force'], {
        stdin: `influencer,field,value\n${prefix}f,viewer_token,${expired}\n`,
      })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toMatch(/line 2: forced: .*token\.expired/)
      expect((await stored('f'))?.hms_viewer_auth_token).toBe(expired)
    })

    it('--create-missing adds unknown influencers with valid handles only', async () => {
      const v = await fresh()
      const bad = await run(['import', '--file', '-', '--create-missing'], {
        stdin: `influencer,field,value\n${prefix}new,viewer_token,${v}\nnot a handle!,viewer_room_code,${code(3)}\n`,
      })
      expect(bad.code).toBe(2)
      expect(bad.stderr).toMatch(/^line 3: "not a handle!" is not a valid handle/m)
      expect(await stored('new')).toBeUndefined()
      // A room code or an HMS_ token in the influencer column fits the handle characters, but is
      // never made a handle (it would be printed and served to viewers as one).
      for (const pasted of ['pst-edro-omx', 'HMS_pastedsecretpastedsecret']) {
        const refused = await run(['import', '--file', '-', '--create-missing'], {
          stdin: `influencer,field,value\n${pasted},viewer_token,${v}\n`,
        })
        expect(refused.code).toBe(2)
        expect(refused.stderr).toMatch(/^line 2: ".*" is not a valid handle to create .*never a token or room code/m)
        expect(refused.all).not.toContain(pasted)
      }
      const ok = await run(['import', '--file', '-', '--create-missing'], {
        stdin: `influencer,field,value\n@${prefix}new,viewer_token,${v}\n`,
      })
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stdout).toMatch(/\(1 created\)/)
      expect((await stored('new'))?.hms_viewer_auth_token).toBe(v)
      expect(await events('new')).toHaveLength(1)
    })

    it('refuses a file over the size limit as soon as it is passed, without reading the rest', async () => {
      let chunks = 0
      const chunk = Buffer.alloc(1024 * 1024, 'a')
      const endless = Readable.from(
        (function* () {
          for (;;) {
            chunks++
            yield chunk
          }
        })(),
      )
      const r = await run(['import', '--file', '-'], { stdin: endless })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/larger than 32 MiB, the import limit/)
      expect(chunks).toBeLessThanOrEqual(IMPORT_MAX_BYTES / chunk.length + 2)
    })

    it('commits nothing when the database fails in the middle of the import (exit 3)', async () => {
      await add('m1', 'm2')
      await withDb(async (h) => {
        await sql`create or replace function ${sql.raw(`${prefix}_fail`)}() returns trigger language plpgsql as $$
          begin raise exception 'disk full' using errcode = '53100'; end $$`.execute(h.db)
        await sql`create trigger ${sql.raw(`${prefix}_fail`)} before insert on hms_credential_events for each row
          when (new.action = 'import') execute function ${sql.raw(`${prefix}_fail`)}()`.execute(h.db)
      })
      try {
        const r = await run(['import', '--file', '-'], {
          stdin: `influencer,field,value\n${prefix}m1,viewer_token,${await fresh()}\n${prefix}m2,viewer_room_code,${code(4)}\n`,
        })
        expect(r.code).toBe(3)
        expect(r.stderr).not.toMatch(/\n\s+at /)
        expect((await stored('m1'))?.hms_viewer_auth_token).toBeNull()
        expect((await stored('m2'))?.hms_credentials_version).toBe(0)
      } finally {
        await withDb((h) => sql`drop trigger ${sql.raw(`${prefix}_fail`)} on hms_credential_events`.execute(h.db))
      }
    })

    if (backend.name === 'postgres')
      it('commits nothing when the connection dies in the middle of the import (exit 3)', async () => {
        await add('k')
        await withDb(async (h) => {
          await sql`create or replace function ${sql.raw(`${prefix}_kill`)}() returns trigger language plpgsql as $$
            begin perform pg_terminate_backend(pg_backend_pid()); return new; end $$`.execute(h.db)
          await sql`create trigger ${sql.raw(`${prefix}_kill`)} before insert on hms_credential_events for each row
            when (new.action = 'import') execute function ${sql.raw(`${prefix}_kill`)}()`.execute(h.db)
        })
        try {
          const r = await run(['import', '--file', '-'], {
            stdin: `influencer,field,value\n${prefix}k,viewer_token,${await fresh()}\n`,
          })
          expect(r.code).toBe(3)
          expect(r.stderr).toMatch(/database/i)
          expect((await stored('k'))?.hms_viewer_auth_token).toBeNull()
        } finally {
          await withDb((h) => sql`drop trigger ${sql.raw(`${prefix}_kill`)} on hms_credential_events`.execute(h.db))
        }
      })
  })
}
