import { z } from 'zod'
import type { Credentials } from './types.js'

const optionalSecret = z
  .string()
  .trim()
  .nullish()
  .transform((value) => (value ? value : null))

/** Zod schema of an influencer's four credentials: optional strings, trimmed, empty -> `null`. */
export const CredentialsInput = z.object({
  broadcasterToken: optionalSecret,
  broadcasterRoomCode: optionalSecret,
  viewerToken: optionalSecret,
  viewerRoomCode: optionalSecret,
})

/** One problem with credentials input; `message` never contains the submitted value. */
export interface CredentialsInputIssue {
  path: string
  message: string
}

/** The result of `parseCredentials`. */
export type ParseCredentialsResult =
  | { ok: true; credentials: Credentials }
  | { ok: false; issues: CredentialsInputIssue[] }

/** Parses unknown input into `Credentials`, returning issues instead of throwing. */
export function parseCredentials(input: unknown): ParseCredentialsResult {
  const result = CredentialsInput.safeParse(input)
  if (result.success) return { ok: true, credentials: result.data }
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  }
}

/** Returns credentials with every slot absent. */
export function emptyCredentials(): Credentials {
  return { broadcasterToken: null, broadcasterRoomCode: null, viewerToken: null, viewerRoomCode: null }
}
