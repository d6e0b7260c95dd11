#!/usr/bin/env node
// `hms-admin serve` behind PgBouncer in transaction mode (as Supabase's pooled port 6543), against
// the same server reached directly, in one run: the viewer route's throughput (autocannon in its own
// process) with the cache on and with every request reading the database, and the freshness delay
// (a change made directly in Postgres until it is served) with the pooled URL alone and with
// --listen-url. A throwaway database on BENCH_DATABASE_URL's server (default
// postgres://postgres@127.0.0.1:5432) and a PgBouncer on a free port (test-support/start-pgbouncer.mjs,
// the tests' launcher) are created and removed.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { startPgBouncer } from '../test-support/start-pgbouncer.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const serverUrl = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432')
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32)
const changes = Number(process.env.BENCH_CHANGES ?? 10)
const dbName = `hms_admin_pool_bench_${process.pid}`

const { openDatabase, getInfluencer, updateCredentials } = await import('@hms-admin/database')
const { startServer } = await import('@hms-admin/server')
const { migrateToLatest } = await import('@hms-admin/migrations')

const urlOf = (name) => {
  const u = new URL(serverUrl)
  u.pathname = `/${name}`
  return u.toString()
}

async function adminQuery(text) {
  const client = new pg.Client({ connectionString: urlOf('postgres') })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

function autocannon(url) {
  const bin = join(root, 'node_modules/autocannon/autocannon.js')
  return new Promise((resolve, reject) => {
    const args = [bin, '-j', '-c', String(connections), '-d', String(seconds), url]
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon ${code}`))))
  })
}

async function served(url) {
  const body = await (await fetch(url)).json()
  return body.credentials?.roomCode
}

/** Delays (ms) from a committed change until `url` serves it, polled every 5 ms. */
async function freshness(writer, influencerId, url) {
  const delays = []
  for (let i = 0; i < changes; i += 1) {
    await served(url)
    const row = await getInfluencer(writer.db, influencerId)
    const roomCode = `fr${'abcdefghijklmnopqrstuvwxyz'[i % 26]}-shxx-${'abcdefghijklmnopqrstuvwxyz'[(i * 7) % 26]}aa`
    await updateCredentials(writer.db, {
      influencerId,
      expectedVersion: row.credentialsVersion,
      changes: { viewerRoomCode: roomCode },
      actor: 'bench',
    })
    const at = performance.now()
    while ((await served(url)) !== roomCode) await new Promise((resolve) => setTimeout(resolve, 5))
    delays.push(performance.now() - at)
  }
  delays.sort((a, b) => a - b)
  return { median: delays[Math.floor(delays.length / 2)], max: delays[delays.length - 1] }
}

async function main() {
  await adminQuery(`create database ${dbName}`)
  const bouncer = await startPgBouncer(serverUrl.toString())
  const direct = urlOf(dbName)
  const pooled = bouncer.url(dbName)
  const writer = await openDatabase({ databaseUrl: direct })
  try {
    await migrateToLatest(writer.db)
    const influencerId = randomUUID()
    const sessionId = randomUUID()
    await writer.db
      .insertInto('influencers')
      .values({ id: influencerId, name: 'Bench', handle: 'bench', hms_viewer_room_code: 'ben-chvw-rrr' })
      .execute()
    await writer.db
      .insertInto('live_stream_sessions')
      .values({ id: sessionId, influencer_id: influencerId, title: 'Bench', status: 'live', started_at: new Date() })
      .execute()
    const configs = [
      ['direct, cache on', { databaseUrl: direct }, {}],
      ['pooled + --listen-url, cache on', { databaseUrl: pooled, listenUrl: direct }, {}],
      ['direct, every request reads', { databaseUrl: direct }, { cacheMaxAgeMs: 0 }],
      ['pooled alone (cache bypassed)', { databaseUrl: pooled }, {}],
    ]
    const rows = {}
    console.log(`loopback, ${connections} connections, ${seconds} s each, viewer route; ${changes} changes each`)
    for (const [name, database, extra] of configs) {
      const server = await startServer({ database, migrate: async () => {}, port: 0, rateLimitPerMinute: 0, ...extra })
      const url = `${server.url}/api/live-streams/${sessionId}/viewer`
      const health = await (await fetch(`${server.url}/healthz`)).json()
      const result = await autocannon(url)
      const fresh = await freshness(writer, influencerId, url)
      rows[name] = result.requests.average
      console.log(
        `${name.padEnd(32)} cache ${health.cache.padEnd(8)} ${result.requests.average.toFixed(0).padStart(7)} req/s  p99 ${result.latency.p99} ms  non-2xx ${result.non2xx + result.errors}   freshness median ${fresh.median.toFixed(0)} ms, max ${fresh.max.toFixed(0)} ms`,
      )
      await server.close()
    }
    const ratio = (a, b) => (rows[a] / rows[b]).toFixed(2)
    console.log(
      `through PgBouncer / direct: cache on ${ratio('pooled + --listen-url, cache on', 'direct, cache on')}x, every request reading ${ratio('pooled alone (cache bypassed)', 'direct, every request reads')}x`,
    )
  } finally {
    await writer.close()
    await bouncer.close()
    await adminQuery(`drop database if exists ${dbName} with (force)`)
  }
}

await main()
