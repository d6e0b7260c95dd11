import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testBackends, openMigrated } from '../../test-support/backends.js'
import type { DatabaseOptions } from '@hms-admin/database'
import { cli } from './harness.js'

const N = 10_001
const PROGRESS = '\rAudited 5000 influencers…\rAudited 10000 influencers…\r\x1b[K'

for (const backend of testBackends()) {
  describe(`audit progress (${backend.name})`, () => {
    let db: DatabaseOptions
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-progress-'))
    beforeAll(async () => {
      db = await backend.setup()
      const h = await openMigrated(db)
      try {
        await sql`insert into influencers (id, name, handle, hms_viewer_room_code) select gen_random_uuid(), 'n' || g, 'h' || g, 'abc-defg-hij' from generate_series(1, ${N}) g`.execute(
          h.db,
        )
      } finally {
        await h.close()
      }
    }, 60_000)
    afterAll(async () => {
      await backend.teardown()
      rmSync(dir, { recursive: true, force: true })
    })

    it('shows progress on a terminal stderr and nothing on a piped one, with the same report', async () => {
      const tty = await cli(db, ['audit', '--fail-on', 'never'], { stderrTTY: true })
      const piped = await cli(db, ['audit', '--fail-on', 'never'])
      expect(tty.code).toBe(0)
      expect(tty.stderr).toBe(PROGRESS)
      expect(piped.stderr).toBe('')
      expect(tty.stdout).toBe(piped.stdout)
      expect(piped.stdout).toMatch(new RegExp(`^${N} influencer\\(s\\) audited: `, 'm'))
    }, 60_000)

    it('shows progress while writing --output, but not when the report itself goes to the terminal', async () => {
      const file = path.join(dir, 'audit.json')
      const toFile = await cli(db, ['audit', '--format', 'json', '--output', file, '--fail-on', 'never'], {
        stderrTTY: true,
        stdoutTTY: true,
      })
      expect(toFile.stderr).toBe(`${PROGRESS}Wrote the json report to ${file}.\n`)
      expect(JSON.parse(readFileSync(file, 'utf8')).summary.influencers).toBe(N)
      const toTerminal = await cli(db, ['audit', '--fail-on', 'never'], { stderrTTY: true, stdoutTTY: true })
      expect(toTerminal.stderr).toBe('')
      expect(toTerminal.stdout).toMatch(/influencer\(s\) audited/)
    }, 60_000)
  })
}
