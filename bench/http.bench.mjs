#!/usr/bin/env node
// HTTP benchmark of `hms-admin serve`'s viewer route. In one run, on loopback, autocannon in its
// own process against (a) a constant-JSON node:http server (the ceiling of this machine), (b) a
// naive handler doing one pg query per request, (c) the real request handler on the Postgres
// server; then a burst of 10,000 requests for a stream that has just gone live, counting the
// database reads it caused (the handler's own counter). (d) is (c) with hand-out counting off, so
// c/d is what counting costs. A throwaway database is created on
// BENCH_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432) and dropped after.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SignJWT } from 'jose'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432'
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const dbName = `hms_admin_bench_${process.pid}`

const { CHANGES_CHANNEL } = await import('@hms-admin/database')
const { startServer } = await import('@hms-admin/server')

function databaseUrl(name) {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

async function adminQuery(text) {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

// The schema: the project's migrations when built, else the columns the endpoint reads plus the
// notification trigger of DESIGN.md section 3 / 7.
async function createSchema(db, pool) {
  try {
    const migrations = await import(join(root, 'migrations/dist/index.js'))
    await migrations.migrateToLatest(db)
    // Smoke test of the triggers, rolled back.
    const client = await pool.connect()
    try {
      await client.query('begin')
      const id = randomUUID()
      await client.query(`insert into influencers (id, name, handle) values ($1, 'smoke', 'smoke')`, [id])
      await client.query(
        `insert into live_stream_sessions (id, influencer_id, title, status) values ($1, $2, 'smoke', 'live')`,
        [randomUUID(), id],
      )
    } finally {
      await client.query('rollback').catch(() => {})
      client.release()
    }
    return 'migrations'
  } catch (error) {
    console.log(
      `(the project's migrations are not usable here: ${error.message.split('\n')[0]}; using the bench schema)`,
    )
    await pool.query('drop schema public cascade; create schema public')
    await pool.query(`
      create table influencers (id uuid primary key, name text not null, handle text unique not null,
        hms_auth_token text, room_code text, hms_viewer_auth_token text, hms_viewer_room_code text,
        hms_credentials_updated_at timestamptz, hms_credentials_version int not null default 0);
      create table live_stream_sessions (id uuid primary key, influencer_id uuid not null references influencers(id),
        title text not null default '', status text not null default 'scheduled', started_at timestamptz, ended_at timestamptz);
      create function hms_admin_notify() returns trigger language plpgsql as $$
      declare r record;
      begin
        if tg_op = 'DELETE' then r := old; else r := new; end if;
        perform pg_notify('${CHANGES_CHANNEL}', json_build_object('table', tg_table_name, 'op', tg_op, 'id', r.id,
          'influencerId', coalesce(to_jsonb(r)->>'influencer_id', r.id::text))::text);
        return null;
      end $$;
      create trigger influencers_notify after insert or update or delete on influencers for each row execute function hms_admin_notify();
      create trigger sessions_notify after insert or update or delete on live_stream_sessions for each row execute function hms_admin_notify();`)
    return 'bench schema'
  }
}

function autocannon(url, extra = []) {
  const bin = join(root, 'node_modules/autocannon/autocannon.js')
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '-j', ...extra, url], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`))
      resolve(JSON.parse(out))
    })
  })
}

async function measure(name, url) {
  // A short warm-up so that JIT and pools are hot for every contender alike.
  await autocannon(url, ['-c', String(connections), '-d', '2'])
  // The servers run in this process (autocannon in its own): its CPU time per answer is what an
  // answer costs, much less disturbed by other processes on the machine than the throughput.
  const cpu = process.cpuUsage()
  const result = await autocannon(url, ['-c', String(connections), '-d', String(seconds)])
  const used = process.cpuUsage(cpu)
  const non2xx = result.non2xx + result.errors
  const row = {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUs: (used.user + used.system) / Math.max(1, result.requests.total),
    non2xx,
  }
  console.log(
    `${name.padEnd(28)} ${row.rps.toFixed(0).padStart(7)} req/s   p50 ${row.p50} ms   p99 ${row.p99} ms   ${row.cpuUs.toFixed(1)} us CPU/answer${non2xx ? `   (${non2xx} non-2xx/errors!)` : ''}`,
  )
  return row
}

function listen(handler) {
  const server = createServer(handler)
  server.keepAliveTimeout = 10_000
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const close = (server) => new Promise((resolve) => server.close(resolve))

async function main() {
  await adminQuery(`create database ${dbName}`)
  const pool = new pg.Pool({ connectionString: databaseUrl(dbName), max: 10 })
  pool.on('error', () => {})
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) })
  try {
    const schema = await createSchema(db, pool)
    const secret = new TextEncoder().encode('bench-fake-app-secret-bench-fake-app-secret')
    const now = Math.floor(Date.now() / 1000)
    const token = (role) =>
      new SignJWT({
        access_key: '65aa00000000000000000001',
        room_id: '65aa00000000000000000002',
        user_id: 'bench',
        role,
        type: 'app',
        version: 2,
        iat: now - 10,
        nbf: now - 10,
        exp: now + 86_400,
        jti: randomUUID(),
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(secret)
    const influencerId = randomUUID()
    const sessionId = randomUUID()
    await pool.query(
      `insert into influencers (id, name, handle, hms_auth_token, room_code, hms_viewer_auth_token, hms_viewer_room_code)
       values ($1, 'Bench', 'bench', $2, 'ben-chbc-ast', $3, 'ben-chvw-rrr')`,
      [influencerId, await token('broadcaster'), await token('viewer')],
    )
    await pool.query(
      `insert into live_stream_sessions (id, influencer_id, title, status, started_at) values ($1, $2, 'Bench', 'live', now())`,
      [sessionId, influencerId],
    )

    console.log(
      `loopback, ${connections} connections, ${seconds} s each, autocannon in its own process; schema: ${schema}`,
    )

    // (c) the real server: startServer (@hms-admin/server) on the throwaway database.
    const served = await startServer({
      database: { databaseUrl: databaseUrl(dbName) },
      migrate: async () => {},
      port: 0,
      rateLimitPerMinute: 0,
      // Issue 11: every viewer answer is counted (hand-outs) and /metrics is on.
      metrics: true,
    })
    const viewerUrl = `${served.url}/api/live-streams/${sessionId}/viewer`
    const probe = await fetch(viewerUrl)
    if (probe.status !== 200) throw new Error(`serve answered ${probe.status}`)
    // (a) answers the very bytes (c) answers, from a constant: the ceiling for this payload.
    const constant = Buffer.from(await (await fetch(viewerUrl)).arrayBuffer())
    const a = await listen((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(constant.length),
      })
      res.end(constant)
    })
    const b = await listen((req, res) => {
      const id = req.url.split('/')[3]
      pool
        .query(
          `select s.id, s.title, s.status, s.started_at, i.id as influencer_id, i.name, i.handle, i.hms_viewer_auth_token, i.hms_viewer_room_code
           from live_stream_sessions s join influencers i on i.id = s.influencer_id where s.id = $1`,
          [id],
        )
        .then(
          (result) => {
            const body = JSON.stringify(result.rows[0] ?? null)
            res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
            res.end(body)
          },
          () => {
            res.writeHead(503)
            res.end()
          },
        )
    })
    const rb = await measure(
      '(b) naive, 1 pg query/request',
      `http://127.0.0.1:${b.address().port}/api/live-streams/${sessionId}/viewer`,
    )
    await close(b)

    // (d) the same server with hand-out counting off (and no /metrics): what counting costs.
    const uncounted = await startServer({
      database: { databaseUrl: databaseUrl(dbName) },
      migrate: async () => {},
      port: 0,
      rateLimitPerMinute: 0,
      countHandouts: false,
    })
    const dUrl = `${uncounted.url}/api/live-streams/${sessionId}/viewer`

    // The machine is shared: (a), (c) and (d) alternate for several rounds and their medians are compared.
    const aUrl = `http://127.0.0.1:${a.address().port}/`
    const runs = { a: [], c: [], d: [] }
    for (let round = 0; round < rounds; round += 1) {
      runs.a.push(await measure(`(a) constant JSON, round ${round + 1}`, aUrl))
      runs.c.push(await measure(`(c) serve viewer, round ${round + 1}`, viewerUrl))
      runs.d.push(await measure(`(d) uncounted, round ${round + 1}`, dUrl))
    }
    // Medians: one round disturbed by another process on the shared machine does not move them.
    const median = (rows, key) => rows.map((row) => row[key]).sort((x, y) => x - y)[Math.floor(rows.length / 2)]
    const [ra, rc, rd] = [runs.a, runs.c, runs.d].map((rows) => ({
      rps: median(rows, 'rps'),
      p50: median(rows, 'p50'),
      p99: median(rows, 'p99'),
      cpuUs: median(rows, 'cpuUs'),
    }))
    await close(a)
    await uncounted.close()
    const summary = (label, r) =>
      console.log(
        `${label.padEnd(33)} median ${r.rps.toFixed(0)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ${r.cpuUs.toFixed(1)} us CPU/answer`,
      )
    summary('(a) constant JSON node:http', ra)
    console.log(`(b) naive 1 query/request              ${rb.rps.toFixed(0)} req/s  p50 ${rb.p50} ms  p99 ${rb.p99} ms`)
    summary('(c) serve viewer route (counting)', rc)
    summary('(d) serve viewer route, uncounted', rd)
    console.log(
      `ratio c/a ${(rc.rps / ra.rps).toFixed(2)}x (goal >= 0.70, aim 0.85)   c/b ${(rc.rps / rb.rps).toFixed(2)}x   p99(c) ${rc.p99.toFixed(1)} ms (goal < 10)`,
    )

    const handed = /hms_viewer_handouts_total\{influencer="bench",status="200"\} (\d+)/.exec(
      await (await fetch(`${served.url}/metrics`)).text(),
    )?.[1]
    console.log(
      `hand-out counting on: ${handed} answers counted; throughput counted/uncounted c/d ${(rc.rps / rd.rps).toFixed(2)}x (goal >= 0.90) ${rc.rps / rd.rps >= 0.9 ? 'OK' : 'UNDER'}, CPU per answer uncounted/counted ${(rd.cpuUs / rc.cpuUs).toFixed(2)}x; c/a ${(rc.rps / ra.rps).toFixed(2)}x (issue 11 goal >= 0.90) ${rc.rps / ra.rps >= 0.9 ? 'OK' : 'UNDER'}, CPU per answer a/c ${(ra.cpuUs / rc.cpuUs).toFixed(2)}x`,
    )

    // Burst: a stream that has just gone live (its 409 was cached a moment ago by earlier viewers).
    const burstSession = randomUUID()
    await pool.query(
      `insert into live_stream_sessions (id, influencer_id, title, status) values ($1, $2, 'Burst', 'scheduled')`,
      [burstSession, influencerId],
    )
    const burstUrl = `${served.url}/api/live-streams/${burstSession}/viewer`
    await new Promise((resolve) => setTimeout(resolve, 200))
    const early = await fetch(burstUrl)
    await pool.query(`update live_stream_sessions set status = 'live', started_at = now() where id = $1`, [
      burstSession,
    ])
    await new Promise((resolve) => setTimeout(resolve, 50))
    const before = served.stats().dbQueries
    const burst = await autocannon(burstUrl, ['-c', '500', '-a', '10000'])
    const queries = served.stats().dbQueries - before
    console.log(
      `burst: 10,000 requests (500 connections) for a stream that just went live (was ${early.status} before): ${burst['2xx']} x 200, ${burst.non2xx} other, ${burst.errors} errors, p99 ${burst.latency.p99} ms; database reads: ${queries}`,
    )

    await served.close()
  } finally {
    await db.destroy().catch(() => {})
    await adminQuery(`drop database if exists ${dbName} with (force)`).catch((error) =>
      console.error(`could not drop ${dbName}: ${error.message}`),
    )
  }
}

await main()
