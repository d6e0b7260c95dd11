/**
 * The hms-admin endpoint the browser tests talk to: the REAL `hms-admin serve` (`startServer` of
 * cli/src/serve) on loopback, over a real database (the first of test-support's `testBackends()`,
 * embedded PGlite, migrated to latest), with the fixture every test uses, written with the
 * cli/src/db repositories: three live influencers (ready / limited / not configured), one whose
 * stored viewer token is invalid, one whose viewer token expires in 61 s, an ended session and an
 * unknown id.
 */
import { randomUUID } from 'node:crypto'
import type { Credentials } from '@hms-admin/core'
import { addInfluencer, endSession, startSession, updateCredentials } from '../../../cli/src/db/index.js'
import type { DatabaseHandle } from '../../../cli/src/db/index.js'
import { startServer } from '../../../cli/src/serve/start-server.js'
import { openMigrated, testBackends } from '../../../test-support/backends.js'
import { mintToken } from '../../../test-support/tokens.js'
import { WIDGET_DIST } from './browser.js'

/** Session ids of the fixture. */
export interface FixtureIds {
  ready: string
  limited: string
  notConfigured: string
  invalid: string
  ended: string
  unknown: string
  /** Ready, with a viewer token that expires in 61 s (the viewer refreshes 60 s before). */
  expiring: string
}

/** A running endpoint with the fixture loaded. */
export interface TestServer {
  url: string
  ids: FixtureIds
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
      expectedVersion: influencer.hms_credentials_version,
      changes: credentials,
      actor: 'widget-test',
    })
    if (!result.ok) throw new Error(`fixture: could not store credentials of ${slug}: ${result.reason}`)
  }
  return (await startSession(handle.db, { influencerId: influencer.id, title })).id
}

/** Starts the endpoint; `demo` also serves the demo pages `/` and `/watch` (with their CSP). */
export async function startTestServer(options: { demo?: boolean } = {}): Promise<TestServer> {
  const backend = testBackends()[0]!
  const handle = await openMigrated(await backend.setup())
  try {
    const avaCredentials = { viewerToken: await mintToken({ role: 'viewer', user_id: 'viewer-ava' }), viewerRoomCode: READY_ROOM_CODE }
    const ready = await addStreamer(handle, 'Ava Stone', 'ava', avaCredentials, 'Morning run')
    const ended = (await startSession(handle.db, { influencerId: (await addInfluencer(handle.db, { handle: 'ava-old', name: 'Ava Old' })).id, title: 'Yesterday' })).id
    await endSession(handle.db, ended)
    const ids: FixtureIds = {
      ready,
      limited: await addStreamer(handle, 'Ben Ortiz', 'ben', { viewerRoomCode: LIMITED_ROOM_CODE }, 'Cooking live'),
      notConfigured: await addStreamer(handle, 'Cleo Park', 'cleo', {}, 'Q&A'),
      invalid: await addStreamer(handle, 'Dan Wu', 'dan', { viewerToken: 'not-a-token' }, 'Broken stream'),
      expiring: await addStreamer(handle, 'Eve Lin', 'eve', { viewerToken: await mintToken({ role: 'viewer', exp: Math.floor(Date.now() / 1000) + 61 }) }, 'Short token'),
      ended,
      unknown: randomUUID(),
    }
    const running = await startServer({
      database: handle,
      port: 0,
      host: '127.0.0.1',
      widgetDir: WIDGET_DIST,
      rateLimitPerMinute: 0,
      demo: options.demo ?? false,
      shutdownGraceMs: 500,
    })
    return {
      url: running.url,
      ids,
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
