import {
  accessStatus,
  inspectCredentials,
  type AccessStatus,
  type ApiErrorCode,
  type LiveStreamSummary,
  type ViewerCredentialsResponse,
} from '@hms-admin/core'
import { API_ERROR_STATUS, apiErrorBody } from './api-error.js'
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

function isoOf(value: Date | string | null): string | null {
  if (value === null) return null
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** The public summary of a stream (no secrets). */
function streamSummary(record: StreamRecord, access: AccessStatus): LiveStreamSummary {
  return {
    sessionId: record.sessionId,
    title: record.title,
    status: record.status,
    startedAt: isoOf(record.startedAt),
    influencer: { id: record.influencer.id, name: record.influencer.name, handle: record.influencer.handle },
    access,
  }
}

/** The body of `GET /api/live-streams`. */
export function liveStreamsBody(records: readonly StreamRecord[], policy: AnswerPolicy): Buffer {
  const streams = records.map((record) =>
    streamSummary(
      record,
      accessStatus(record.credentials, {
        now: policy.now,
        isLive: record.status === 'live',
        allowBroadcasterFallback: policy.allowBroadcasterFallback,
      }),
    ),
  )
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
  if (record.status !== 'live') return { answer: errorAnswer('stream_not_live'), expiresAt: null }
  // One inspection gives both the resolution and the access status.
  const { resolution, status: access } = inspectCredentials(record.credentials, {
    now: policy.now,
    isLive: true,
    allowBroadcasterFallback: policy.allowBroadcasterFallback,
  })
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
