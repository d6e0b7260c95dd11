import type { Readable } from 'node:stream'
import { CliError } from './errors.js'

/** Reads all of stdin as text, trimmed; fails with exit 2 when unreadable or empty. */
export async function readStdinValue(stdin: Readable): Promise<string> {
  let text = ''
  try {
    for await (const chunk of stdin)
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
  } catch {
    throw new CliError(
      2,
      'Could not read the value from stdin.',
      'Pipe the value in, e.g. `pbpaste | hms-admin set-token @handle --viewer-token -`.',
    )
  }
  const value = text.trim()
  if (!value) throw new CliError(2, 'stdin was empty: no value to set.', 'Pipe exactly one value in.')
  return value
}
