/** The public entry of @hms-admin/core: pure, isomorphic credential domain logic. */
export {
  CREDENTIAL_FIELDS,
  CREDENTIAL_COLUMNS,
  FindingCode,
  type CredentialField,
  type CredentialRole,
  type Credentials,
  type Severity,
  type Finding,
  type AccessStatus,
  type CredentialSource,
  type PolicyOptions,
  type ViewerResolution,
  type SharedSecret,
  type SlotReport,
  type TokenClaims,
  type CredentialReport,
} from './types.js'
export { tokenClaims } from './token-claims.js'
export { FINDING_RULES, type FindingRule } from './finding-rules.js'
export {
  AccessStatusSchema,
  CredentialSourceSchema,
  ApiErrorCodeSchema,
  API_ERROR_STATUS,
  API_ERROR_SCHEMAS,
  API_SCHEMAS,
  ApiErrorResponseSchema,
  LiveStreamSummarySchema,
  LiveStreamsResponseSchema,
  ViewerCredentialsResponseSchema,
  HealthResponseSchema,
  type ApiErrorCode,
  type ApiErrorResponse,
  type LiveStreamSummary,
  type LiveStreamsResponse,
  type ViewerCredentialsResponse,
  type HealthResponse,
} from './api-schemas.js'
export { CREDENTIAL_FIELD_LABELS } from './credential-fields.js'
export {
  CredentialsInput,
  parseCredentials,
  emptyCredentials,
  type CredentialsInputIssue,
  type ParseCredentialsResult,
} from './credentials-input.js'
export { DEFAULT_EXPIRING_WITHIN_MS, parseDuration } from './parse-duration.js'
export { inspectToken, type InspectTokenOptions, type TokenInspection } from './inspect-token.js'
export { inspectRoomCode, ROOM_CODE_PATTERN } from './inspect-room-code.js'
export { evaluateInfluencer, type InfluencerFacts } from './evaluate-influencer.js'
export { findSharedSecrets } from './shared-secrets.js'
export { TRIMMED_CHARACTERS, trimSecret } from './trim-secret.js'
export { maskSecret } from './mask-secret.js'
export { containsSecret, redactSecrets } from './redact-secrets.js'
export { DEFAULT_SCHEMA, SCHEMA_NAME_PATTERN } from './schema-name.js'
export { fingerprintSecret, type Sha256Hex } from './fingerprint-secret.js'
export {
  ACCESS_STATUS_BADGES,
  API_ERROR_MESSAGES,
  VIEWER_ERROR_MESSAGES,
  type ViewerErrorCode,
} from './messages.js'
