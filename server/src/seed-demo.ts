import { createHmac, randomUUID } from 'node:crypto'
import type { Credentials } from '@hms-admin/core'
import { sql, type Kysely } from 'kysely'
import type { Database } from '@hms-admin/database'
import { addInfluencer, updateCredentials } from '@hms-admin/database'
import { startSession } from '@hms-admin/database'

/** The HS256 secret the demo tokens are signed with: clearly fake, never a real 100ms app secret. */
const DEMO_APP_SECRET = 'hms-admin-demo-fake-secret-not-a-real-100ms-app-secret'

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url')
}

/**
 * A well-formed, clearly fake 100ms app token (HS256 JWT) for the demo. Payloads whose base64url
 * would contain `-` or `_` (which the SDK's atob cannot decode) are re-minted with another jti.
 */
function demoToken(role: 'viewer' | 'broadcaster', roomId: string, now: Date, lifetimeDays = 30): string {
  const iat = Math.floor(now.getTime() / 1000) - 10
  for (let attempt = 0; ; attempt += 1) {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
    const payload = base64url(
      JSON.stringify({
        access_key: 'demo00000000000000000000',
        room_id: roomId,
        user_id: 'demo-viewer',
        role,
        type: 'app',
        version: 2,
        iat,
        nbf: iat,
        exp: iat + lifetimeDays * 86_400,
        jti: `demo-${randomUUID()}`,
      }),
    )
    if (/[-_]/.test(payload) && attempt < 50) continue
    const signature = createHmac('sha256', DEMO_APP_SECRET).update(`${header}.${payload}`).digest('base64url')
    return `${header}.${payload}.${signature}`
  }
}

interface DemoInfluencer {
  name: string
  handle: string
  title: string
  credentials: Credentials
}

/** What `seedDemo` did. */
export interface SeedDemoResult {
  seeded: boolean
  sessions: { sessionId: string; handle: string }[]
}

/**
 * On a database without influencers, adds three demo influencers with a live session each, one
 * per access status: ready (viewer token and room code), limited (viewer room code only) and
 * not configured (broadcaster credentials only). Credentials go through the repositories, so the
 * change history records them (fingerprints only) like every credential change.
 */
export async function seedDemo(db: Kysely<Database>, now: Date = new Date()): Promise<SeedDemoResult> {
  // A builder query: it names the handle's schema.
  const existing = await db.selectFrom('influencers').select(sql<number>`count(*)::int`.as('n')).executeTakeFirst()
  if ((existing?.n ?? 0) > 0) return { seeded: false, sessions: [] }
  const sessions: SeedDemoResult['sessions'] = []
  for (const influencer of demoInfluencers(now)) {
    const row = await addInfluencer(db, { handle: influencer.handle, name: influencer.name })
    await updateCredentials(db, {
      influencerId: row.id,
      expectedVersion: row.credentialsVersion,
      changes: influencer.credentials,
      actor: 'demo seed',
    })
    const session = await startSession(db, { influencerId: row.id, title: influencer.title })
    sessions.push({ sessionId: session.id, handle: influencer.handle })
  }
  return { seeded: true, sessions }
}

function demoInfluencers(now: Date): DemoInfluencer[] {
  return [
    {
      name: 'Demo Ada (ready)',
      handle: 'demo-ada',
      title: 'Ada codes live',
      credentials: {
        broadcasterToken: demoToken('broadcaster', 'demo0000000000000000ada1', now),
        broadcasterRoomCode: 'dem-oada-bro',
        viewerToken: demoToken('viewer', 'demo0000000000000000ada1', now),
        viewerRoomCode: 'dem-oada-vwr',
      },
    },
    {
      name: 'Demo Bo (limited)',
      handle: 'demo-bo',
      title: 'Bo plays chess',
      credentials: {
        broadcasterToken: demoToken('broadcaster', 'demo00000000000000000bo1', now),
        broadcasterRoomCode: 'dem-oboo-bro',
        viewerToken: null,
        viewerRoomCode: 'dem-oboo-vwr',
      },
    },
    {
      name: 'Demo Cy (not configured)',
      handle: 'demo-cy',
      title: 'Cy cooks',
      credentials: {
        broadcasterToken: demoToken('broadcaster', 'demo00000000000000000cy1', now),
        broadcasterRoomCode: 'dem-ocyy-bro',
        viewerToken: null,
        viewerRoomCode: null,
      },
    },
  ]
}
