import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addInfluencer,
  handoutTotals,
  openDatabase,
  startSession,
  updateCredentials,
  type DatabaseHandle,
} from '@hms-admin/database'
import { checkedFetch as fetch } from '../../test-support/openapi-fetch.js'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { mintToken } from '../../test-support/tokens.js'
import {
  startServer,
  type RunningServer,
  type ServeDatabaseHandle,
  type ServeDatabaseOptions,
} from '../src/start-server.js'

type Sample = { name: string; labels: Record<string, string>; value: number }

/**
 * A strict reader of the Prometheus text format 0.0.4: every line is a HELP or TYPE comment or a
 * sample `name{label="value",...} number`; every sample's family has a TYPE line before it.
 */
function parsePrometheus(text: string): Sample[] {
  expect(text.endsWith('\n')).toBe(true)
  const typed = new Map<string, string>()
  const samples: Sample[] = []
  for (const line of text.slice(0, -1).split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line)
    if (type) {
      typed.set(type[1]!, type[2]!)
      continue
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* \S.*$/.test(line)) continue
    const m =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (-?[0-9.e+]+|\+Inf|NaN)$/.exec(
        line,
      )
    if (!m) throw new Error(`not Prometheus text: ${line}`)
    const family = m[1]!.replace(/_(bucket|sum|count)$/, '')
    if (!typed.has(m[1]!) && typed.get(family) !== 'histogram') throw new Error(`no TYPE before ${m[1]}`)
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
    )
    samples.push({ name: m[1]!, labels, value: Number(m[3]) })
  }
  return samples
}
const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value

for (const backend of testBackends()) {
  describe(`serve --metrics and hand-out counts (${backend.name})`, { timeout: 120_000 }, () => {
    let handle: DatabaseHandle
    let server: RunningServer
    let sessionId: string
    beforeAll(async () => {
      handle = await openMigrated(await backend.setup())
      const alice = await addInfluencer(handle.db, { handle: 'metrics_alice', name: 'Alice' })
      await updateCredentials(handle.db, {
        influencerId: alice.id,
        expectedVersion: 0,
        changes: { viewerToken: await mintToken() },
        actor: 't',
      })
      sessionId = (await startSession(handle.db, { influencerId: alice.id })).id
      server = await startServer({
        database: handle as unknown as ServeDatabaseHandle,
        openDatabase: (o: ServeDatabaseOptions) => openDatabase(o) as unknown as Promise<ServeDatabaseHandle>,
        port: 0,
        metrics: true,
        rateLimitPerMinute: 0,
      })
    }, 60_000)
    afterAll(async () => {
      await server?.close()
      await handle?.close()
      await backend.teardown()
    })

    it('exposes Prometheus text: requests by route and status, cache, db latency, listener state, hand-outs by handle', async () => {
      for (let i = 0; i < 3; i++)
        expect((await fetch(`${server.url}/api/live-streams/${sessionId}/viewer`)).status).toBe(200)
      expect((await fetch(`${server.url}/api/live-streams/00000000-0000-4000-8000-000000000000/viewer`)).status).toBe(
        404,
      )
      const r = await fetch(`${server.url}/metrics`)
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
      const samples = parsePrometheus(await r.text())
      expect(value(samples, 'hms_http_requests_total', { route: 'viewer', status: '200' })).toBe(3)
      expect(value(samples, 'hms_http_requests_total', { route: 'viewer', status: '404' })).toBe(1)
      expect(value(samples, 'hms_cache_hits_total')! + value(samples, 'hms_cache_misses_total')!).toBe(4)
      const count = value(samples, 'hms_db_query_duration_seconds_count')!
      expect(count).toBeGreaterThanOrEqual(2)
      expect(value(samples, 'hms_db_query_duration_seconds_bucket', { le: '+Inf' })).toBe(count)
      const buckets = samples.filter((s) => s.name === 'hms_db_query_duration_seconds_bucket').map((s) => s.value)
      expect(buckets).toEqual([...buckets].sort((a, b) => a - b))
      expect([0, 1]).toContain(value(samples, 'hms_notify_listener_up'))
      expect(value(samples, 'hms_viewer_handouts_total', { influencer: 'metrics_alice', status: '200' })).toBe(3)
    })

    it('flushes the hand-outs to hms_viewer_handouts, which session list reads', async () => {
      await server.flushHandouts()
      const totals = await handoutTotals(handle.db, [sessionId, '00000000-0000-4000-8000-000000000000'])
      expect(totals.get(sessionId)).toEqual({ '200': 3 })
      expect(totals.get('00000000-0000-4000-8000-000000000000')).toEqual({ '404': 1 })
    })

    it('writes the counts left in memory on close (no flush timer fired), and counts nothing with countHandouts false', async () => {
      const influencer = await addInfluencer(handle.db, { handle: 'metrics_close', name: 'Close' })
      const [counted, uncounted] = [
        (await startSession(handle.db, { influencerId: influencer.id })).id,
        (await startSession(handle.db, { influencerId: influencer.id })).id,
      ]
      const serve = (countHandouts: boolean) =>
        startServer({
          database: handle as unknown as ServeDatabaseHandle,
          port: 0,
          rateLimitPerMinute: 0,
          handoutFlushMs: 3_600_000,
          countHandouts,
        })
      for (const [on, session, n] of [
        [true, counted, 4],
        [false, uncounted, 2],
      ] as const) {
        const other = await serve(on)
        for (let i = 0; i < n; i++) await fetch(`${other.url}/api/live-streams/${session}/viewer`)
        expect(await handoutTotals(handle.db, [session])).toEqual(new Map())
        await other.close()
      }
      const totals = await handoutTotals(handle.db, [counted, uncounted])
      expect(totals.get(counted)).toEqual({ '403': 4 }) // no viewer credentials: 403s, counted too
      expect(totals.has(uncounted)).toBe(false)
    })
  })
}
