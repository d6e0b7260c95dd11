import type { CliDeps } from './deps.js'
import { CliError } from './errors.js'
import { readStdinValue } from './read-stdin.js'

/** The 100ms app's access key and secret, the pair tokens are signed with. */
export interface AppCredentials {
  accessKey: string
  secret: string
}

/** How the caller named them: `--access-key K` and `--secret -` (stdin), else HMS_ACCESS_KEY and HMS_SECRET. */
export interface AppCredentialOptions {
  accessKey?: string
  secret?: string
}

/**
 * The app key and secret from the flags, else the environment (100ms's own variable names). The
 * secret is read from stdin with `--secret -` and is never accepted as an argv value (exit 2).
 */
export async function readAppCredentials(
  deps: Pick<CliDeps, 'env' | 'stdin'>,
  options: AppCredentialOptions,
): Promise<AppCredentials> {
  if (options.secret !== undefined && options.secret !== '-')
    throw new CliError(
      2,
      'The app secret is never accepted on the command line (it would land in your shell history and in `ps`).',
      'Pass --secret - and pipe the secret in, or set HMS_SECRET.',
    )
  const accessKey = (options.accessKey ?? deps.env.HMS_ACCESS_KEY ?? '').trim()
  if (!accessKey)
    throw new CliError(
      2,
      'No 100ms access key given.',
      'Set HMS_ACCESS_KEY or pass --access-key (from the 100ms dashboard, Developer section).',
    )
  const secret = options.secret === '-' ? await readStdinValue(deps.stdin) : (deps.env.HMS_SECRET ?? '').trim()
  if (!secret)
    throw new CliError(2, 'No 100ms app secret given.', 'Set HMS_SECRET, or pass --secret - and pipe the secret in.')
  return { accessKey, secret }
}
