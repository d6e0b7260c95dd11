/**
 * The HTTP API of `hms-admin serve` (DESIGN.md section 5) as data: every answer and error body is a
 * zod schema here; the endpoint's and the widget's types are inferred from them, and the server's
 * `GET /openapi.json` is generated from them. Nothing else describes the wire format.
 */
import { z } from 'zod'
import { API_ERROR_MESSAGES } from './messages.js'

/** Every named schema of the API, by its OpenAPI component name (`id`). */
export const API_SCHEMAS = z.registry<{ id: string; description?: string }>()

/** The three access statuses shown as badges (✅ Ready / ⚠️ Limited / ❌ Not configured). */
export const AccessStatusSchema = z.enum(['ready', 'limited', 'not_configured']).register(API_SCHEMAS, {
  id: 'AccessStatus',
  description:
    'ready: viewer token and room code usable; limited: viewers can join with less; not_configured: viewers cannot join.',
})

/** One of the three access statuses. */
export type AccessStatus = z.infer<typeof AccessStatusSchema>

/** Where a value handed to viewers came from. */
export const CredentialSourceSchema = z.enum(['viewer', 'broadcaster']).register(API_SCHEMAS, {
  id: 'CredentialSource',
  description: 'broadcaster only when the broadcaster fallback is switched on.',
})

/** Where a value handed to viewers came from. */
export type CredentialSource = z.infer<typeof CredentialSourceSchema>

/** The error codes of the endpoint. */
export const ApiErrorCodeSchema = z
  .enum([
    'stream_not_found',
    'stream_not_live',
    'viewer_access_not_configured',
    'viewer_token_invalid',
    'bad_request',
    'rate_limited',
    'service_unavailable',
    'not_found',
    'method_not_allowed',
  ])
  .register(API_SCHEMAS, { id: 'ApiErrorCode' })

/** An error code of the endpoint. */
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>

/** The HTTP status each error code is answered with. */
export const API_ERROR_STATUS = {
  stream_not_found: 404,
  stream_not_live: 409,
  viewer_access_not_configured: 403,
  viewer_token_invalid: 403,
  bad_request: 400,
  rate_limited: 429,
  service_unavailable: 503,
  not_found: 404,
  method_not_allowed: 405,
} as const satisfies Record<ApiErrorCode, number>

function errorBody<Code extends z.ZodType<ApiErrorCode>>(code: Code) {
  return z.strictObject({
    error: z.strictObject({
      code,
      message: z.string().meta({ description: 'One sentence for people; never contains a secret.' }),
    }),
  })
}

/** The body of every error answer: `{"error":{"code","message"}}`. */
export const ApiErrorResponseSchema = errorBody(ApiErrorCodeSchema).register(API_SCHEMAS, {
  id: 'ApiError',
  description: 'The body of every error answer.',
})

/** The body of every error answer of the endpoint. */
export type ApiErrorResponse = z.infer<typeof ApiErrorResponseSchema>

function pascalCase(code: string): string {
  return code.replace(/(^|_)([a-z])/g, (_match, _separator, letter: string) => letter.toUpperCase())
}

/** The error body of each code, named `<Code>Error` (`StreamNotFoundError`), for the answers that give that code. */
export const API_ERROR_SCHEMAS = {} as Record<ApiErrorCode, z.ZodType<ApiErrorResponse>>
for (const code of ApiErrorCodeSchema.options) {
  API_ERROR_SCHEMAS[code] = errorBody(z.literal(code)).register(API_SCHEMAS, {
    id: `${pascalCase(code)}Error`,
    description: `${API_ERROR_STATUS[code]}: ${API_ERROR_MESSAGES[code]}`,
  })
}

const isoTime = z.iso.datetime()

/** A live stream as listed by `GET /api/live-streams` (no secrets). */
export const LiveStreamSummarySchema = z
  .strictObject({
    sessionId: z.guid(),
    title: z.string(),
    status: z.enum(['scheduled', 'live', 'ended']),
    startedAt: isoTime.nullable(),
    influencer: z.strictObject({
      // An adopted app database may use bigint or text ids.
      id: z.string(),
      name: z.string(),
      handle: z.string(),
    }),
    access: AccessStatusSchema,
  })
  .register(API_SCHEMAS, { id: 'LiveStreamSummary' })

/** A live stream as listed by `GET /api/live-streams` (no secrets). */
export type LiveStreamSummary = z.infer<typeof LiveStreamSummarySchema>

/** The body of `GET /api/live-streams`. */
export const LiveStreamsResponseSchema = z
  .strictObject({ streams: z.array(LiveStreamSummarySchema) })
  .register(API_SCHEMAS, { id: 'LiveStreams' })

/** The body of `GET /api/live-streams`. */
export type LiveStreamsResponse = z.infer<typeof LiveStreamsResponseSchema>

/** The body of `GET /api/live-streams/:sessionId/viewer`. */
export const ViewerCredentialsResponseSchema = z
  .strictObject({
    session: LiveStreamSummarySchema,
    access: AccessStatusSchema,
    credentials: z.strictObject({
      authToken: z.string().optional(),
      roomCode: z.string().optional(),
      source: CredentialSourceSchema,
      expiresAt: isoTime.optional().meta({ description: 'Present when the returned auth token has an `exp` claim.' }),
    }),
  })
  .register(API_SCHEMAS, { id: 'ViewerCredentials' })

/** The body of `GET /api/live-streams/:sessionId/viewer`. */
export type ViewerCredentialsResponse = z.infer<typeof ViewerCredentialsResponseSchema>

/**
 * The body of `GET /healthz` while the database answers: `cache` is `on` while change notifications
 * are proven to arrive (a heartbeat NOTIFY comes back), `bypassed` while every request reads the database.
 */
export const HealthResponseSchema = z
  .strictObject({
    ok: z.literal(true),
    cache: z.enum(['on', 'bypassed']).meta({
      description:
        '`on` while change notifications are proven to arrive (a heartbeat NOTIFY comes back through the listener); `bypassed` while every request reads the database.',
    }),
  })
  .register(API_SCHEMAS, { id: 'Health' })

/** The body of `GET /healthz` while the database answers. */
export type HealthResponse = z.infer<typeof HealthResponseSchema>
