import {
  evaluateInfluencer,
  type AccessStatus,
  type CredentialReport,
  type ApiErrorCode,
  type LiveStreamSummary,
  type ViewerCredentialsResponse,
} from '@hms-admin/core'
import { API_ERROR_STATUS, apiErrorBody } from './api-error.js'
import type { SessionWithInfluencer } from '@hms-admin/database'
import type { StreamRecord } from './serve-store.js'

/** A precomputed answer of the endpoint: the status and the encoded JSON body. */
export interface PreparedAnswer {
  status: number
  body: Buffer
}

/** Policy of the answers. */
export interface AnswerPolicy {
  allowBroadcasterFallback: boolean
  now: Date
}

function isoOf(date: Date | null): string | null {
  return date === null || Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** The public summary of a stream (no secrets). */
function streamSummary({ session, influencer }: SessionWithInfluencer, access: AccessStatus): LiveStreamSummary {
  return {
    sessionId: session.id,
    title: session.title ?? '',
    status: session.status,
    startedAt: isoOf(session.startedAt),
    influencer: { id: influencer.id, name: influencer.name, handle: influencer.handle ?? '' },
    access,
  }
}

/** The one evaluation (core's `evaluateInfluencer`) of a stream's influencer under the endpoint's policy. */
function evaluateStream(record: StreamRecord, policy: AnswerPolicy): CredentialReport {
  return evaluateInfluencer({
    credentials: record.influencer.credentials,
    sharedSecrets: record.sharedSecrets,
    now: policy.now,
    isLive: record.session.status === 'live',
    allowBroadcasterFallback: policy.allowBroadcasterFallback,
    // Answers never show fingerprints: skip hashing every secret.
    fingerprints: false,
  })
}

/** The body of `GET /api/live-streams`. */
export function liveStreamsBody(records: readonly StreamRecord[], policy: AnswerPolicy): Buffer {
  const streams = records.map((record) => streamSummary(record, evaluateStream(record, policy).status))
  return Buffer.from(JSON.stringify({ streams }))
}

/**
 * The answer of `GET /api/live-streams/:id/viewer` for a stored session (or its absence), through
 * core's resolution only, with the time after which it must be computed again (token expiry).
 */
export function viewerAnswer(
  record: StreamRecord | null,
  policy: AnswerPolicy,
): { answer: PreparedAnswer; expiresAt: number | null } {
  if (record === null) return { answer: errorAnswer('stream_not_found'), expiresAt: null }
  if (record.session.status !== 'live') return { answer: errorAnswer('stream_not_live'), expiresAt: null }
  // One evaluation gives both the resolution and the access status.
  const { resolution, status: access } = evaluateStream(record, policy)
  if (!resolution.ok) return { answer: errorAnswer(resolution.error), expiresAt: null }
  const credentials: ViewerCredentialsResponse['credentials'] = { source: resolution.source }
  if (resolution.authToken !== undefined) credentials.authToken = resolution.authToken
  if (resolution.roomCode !== undefined) credentials.roomCode = resolution.roomCode
  if (resolution.expiresAt !== undefined) credentials.expiresAt = resolution.expiresAt.toISOString()
  const response: ViewerCredentialsResponse = { session: streamSummary(record, access), access, credentials }
  return {
    answer: { status: 200, body: Buffer.from(JSON.stringify(response)) },
    expiresAt: resolution.expiresAt?.getTime() ?? null,
  }
}

function errorAnswer(code: ApiErrorCode): PreparedAnswer {
  return { status: API_ERROR_STATUS[code], body: apiErrorBody(code) }
}
