import { randomUUID } from 'node:crypto'
import { fingerprintSecret, maskSecret } from '@hms-admin/core'
import { sha256Hex } from '@hms-admin/database'
import type { CliDeps, GlobalOptions } from '../deps.js'
import { CliError } from '../errors.js'
import { json, line } from '../output.js'
import { DURATION, parseInput } from '../cli-input.js'
import { readAppCredentials, type AppCredentialOptions } from '../app-credentials.js'
import {
  appTokenClaims,
  hasDecodeHazard,
  invalidClaimValues,
  MAX_VALID_FOR_MS,
  signAppToken,
} from '../mint-app-token.js'

/** Options of `token mint`. */
export interface TokenMintOptions extends AppCredentialOptions {
  roomId: string
  role: string
  userId?: string
  validFor?: string
  reveal?: boolean
}

/** A validity from `--valid-for`: a duration from 1 s up to 100ms's 90 days, or exit 2. */
export function validForMs(flag: string | undefined, fallback = '30d'): number {
  const ms = parseInput('--valid-for', DURATION, flag ?? fallback)
  if (ms < 1000 || ms > MAX_VALID_FOR_MS)
    throw new CliError(
      2,
      '--valid-for must be between 1s and 90d (100ms accepts at most 90 days).',
      'For example --valid-for 30d.',
    )
  return ms
}

/** `hms-admin token mint`: signs a 100ms app auth token locally; nothing is sent anywhere. */
export async function runTokenMint(deps: CliDeps, global: GlobalOptions, options: TokenMintOptions): Promise<number> {
  const request = {
    roomId: options.roomId.trim(),
    role: options.role.trim(),
    userId: (options.userId ?? randomUUID()).trim(),
    validForMs: validForMs(options.validFor),
    now: deps.now(),
  }
  const invalid = invalidClaimValues(request)
  if (invalid.length > 0)
    throw new CliError(
      2,
      `${invalid.join(', ')} may only hold the characters A-Z a-z 0-9 . _ @ : - (at most 128).`,
      'Other characters can break the 100ms SDK when it decodes the token; pick a plain ASCII id.',
    )
  const { accessKey, secret } = await readAppCredentials(deps, options)
  const claims = appTokenClaims({ ...request, accessKey })
  const token = signAppToken(claims, secret)
  if (hasDecodeHazard(token))
    throw new CliError(
      2,
      'The minted token would trip the 100ms SDK decode hazard (its payload encodes to - or _), so it was not issued.',
      'Check that the access key holds only letters and digits, as 100ms issues them.',
    )
  const reveal = options.reveal === true || deps.stdout.isTTY !== true
  const masked = maskSecret(token)
  const fingerprint = fingerprintSecret(token, sha256Hex)
  if (global.json) {
    json(deps.stdout, { ...(reveal ? { token } : {}), masked, fingerprint, claims })
    return 0
  }
  if (reveal) {
    line(deps.stdout, token)
    return 0
  }
  line(
    deps.stdout,
    `Minted ${masked} ${fingerprint} (role ${claims.role}, room ${claims.room_id}, expires ${new Date(claims.exp * 1000).toISOString()}).`,
  )
  line(
    deps.stderr,
    'Hint: the token is shown only to a pipe: `hms-admin token mint … | hms-admin set-token @handle --viewer-token -` (or pass --reveal).',
  )
  return 0
}
