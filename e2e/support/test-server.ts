/**
 * The hms-admin endpoint the browser tests talk to: the REAL `hms-admin serve` (`startServer` of
 * @hms-admin/server) on loopback, over a real database (the first of test-support's `testBackends()`,
 * embedded PGlite, migrated to latest). `startTestServer` loads the fixture most tests use, written
 * with the @hms-admin/database repositories: three live influencers (ready / limited / not configured),
 * one whose stored viewer token is invalid, an ended session and an unknown id; `expiringStream()`
 * adds, when a test needs it, a stream whose viewer token expires 61 s later. `startDemoServer` is `serve --demo` on an empty database instead.
 */
import { randomUUID } from 'node:crypto'
import type { Credentials } from '@hms-admin/core'
import { addInfluencer, endSession, startSession, updateCredentials, type DatabaseHandle } from '@hms-admin/database'
import { startServer, type RunningServer } from '@hms-admin/server'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { mintToken } from '../../test-support/tokens.js'
import { WIDGET_DIST } from './browser.js'

/** Session ids of the fixture. */
export interface FixtureIds {
  ready: string
  limited: string
  notConfigured: string
  invalid: string
  ended: string
  unknown: string
}

/** A running endpoint with the fixture loaded. */
export interface TestServer {
  url: string
  ids: FixtureIds
  /**
   * Adds a live stream whose viewer token expires 61 s from now (the viewer refreshes 60 s before)
   * and returns its session id: minted when used, so it cannot expire while earlier tests run.
   */
  expiringStream(): Promise<string>
  close(): Promise<void>
}

/** The room code stored for the ready influencer (a fake, well-formed 100ms room code). */
export const READY_ROOM_CODE = 'abc-defg-hij'
/** The room code stored for the limited influencer. */
export const LIMITED_ROOM_CODE = 'klm-nopq-rst'

async function addStreamer(
  handle: DatabaseHandle,
  name: string,
  slug: string,
  credentials: Partial<Credentials>,
  title: string,
): Promise<string> {
  const influencer = await addInfluencer(handle.db, { handle: slug, name })
  if (Object.keys(credentials).length > 0) {
    const result = await updateCredentials(handle.db, {
      influencerId: influencer.id,
      expectedVersion: influencer.credentialsVersion,
      changes: credentials,
      actor: 'widget-test',
    })
    if (!result.ok) throw new Error(`fixture: could not store credentials of ${slug}: ${result.reason}`)
  }
  return (await startSession(handle.db, { influencerId: influencer.id, title })).id
}

/**
 * Runs `serve` (port 0, the built widget, no rate limit) on a fresh migrated database that `load`
 * fills first; `close()` stops the server and removes the database, as does a failed start.
 */
async function serveFreshDatabase<T>(
  load: (handle: DatabaseHandle) => Promise<T>,
  options: { demo?: boolean } = {},
): Promise<{ url: string; loaded: T; demo: RunningServer['demo']; close(): Promise<void> }> {
  const backend = testBackends()[0]!
  const handle = await openMigrated(await backend.setup())
  try {
    const loaded = await load(handle)
    const running = await startServer({
      database: handle,
      port: 0,
      host: '127.0.0.1',
      widgetDir: WIDGET_DIST,
      rateLimitPerMinute: 0,
      shutdownGraceMs: 500,
      ...options,
    })
    return {
      url: running.url,
      loaded,
      demo: running.demo,
      close: async () => {
        await running.close()
        await handle.close()
        await backend.teardown()
      },
    }
  } catch (error) {
    await handle.close()
    await backend.teardown()
    throw error
  }
}

/** Starts the endpoint with the fixture loaded. */
export async function startTestServer(): Promise<TestServer> {
  let expiringStreams = 0
  const {
    url,
    loaded: { ids, expiringStream },
    close,
  } = await serveFreshDatabase(async (handle) => {
    const avaCredentials = {
      viewerToken: await mintToken({ role: 'viewer', user_id: 'viewer-ava' }),
      viewerRoomCode: READY_ROOM_CODE,
    }
    const ready = await addStreamer(handle, 'Ava Stone', 'ava', avaCredentials, 'Morning run')
    const ended = (
      await startSession(handle.db, {
        influencerId: (await addInfluencer(handle.db, { handle: 'ava-old', name: 'Ava Old' })).id,
        title: 'Yesterday',
      })
    ).id
    await endSession(handle.db, ended)
    const ids: FixtureIds = {
      ready,
      limited: await addStreamer(handle, 'Ben Ortiz', 'ben', { viewerRoomCode: LIMITED_ROOM_CODE }, 'Cooking live'),
      notConfigured: await addStreamer(handle, 'Cleo Park', 'cleo', {}, 'Q&A'),
      invalid: await addStreamer(handle, 'Dan Wu', 'dan', { viewerToken: 'not-a-token' }, 'Broken stream'),
      ended,
      unknown: randomUUID(),
    }
    const expiringStream = async (): Promise<string> => {
      expiringStreams += 1
      const exp = Math.floor(Date.now() / 1000) + 61
      const viewerToken = await mintToken({ role: 'viewer', user_id: `eve-${expiringStreams}`, exp })
      return addStreamer(handle, 'Eve Lin', `eve-${expiringStreams}`, { viewerToken }, 'Short token')
    }
    return { ids, expiringStream }
  })
  return { url, ids, expiringStream, close }
}

/** The running demo of `serve --demo`. */
export interface DemoServer {
  url: string
  /** The demo sessions the server seeded, with their influencer handles. */
  sessions: { sessionId: string; handle: string }[]
  close(): Promise<void>
}

/**
 * Starts the endpoint as `npm start` does: `demo` on an empty database, so the server seeds its
 * three demo influencers (ready / limited / not configured) and serves the demo pages.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const { url, demo, close } = await serveFreshDatabase(async () => undefined, { demo: true })
  return { url, sessions: demo?.sessions ?? [], close }
}
