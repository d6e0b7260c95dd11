import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { CliError } from './errors.js'

/** The largest import file: 32 MiB (about 20,000 influencers with four tokens each in the wide form). */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024

/**
 * Reads `-` (stdin) or a file as UTF-8 text, refusing it (exit 2) as soon as more than `maxBytes`
 * have arrived: the rest is never read.
 */
export async function readLimited(file: string, stdin: Readable, maxBytes = IMPORT_MAX_BYTES): Promise<string> {
  const stream = file === '-' ? stdin : createReadStream(file)
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array)
      size += buffer.length
      if (size > maxBytes) {
        stream.destroy()
        throw new CliError(
          2,
          `${file === '-' ? 'stdin' : file} is larger than ${maxBytes / 1024 / 1024} MiB, the import limit; nothing was read past it and nothing was written.`,
          'Split it into several files and import them one after the other.',
        )
      }
      chunks.push(buffer)
    }
  } catch (error) {
    if (error instanceof CliError) throw error
    const code = (error as { code?: string }).code
    throw new CliError(
      2,
      `Cannot read ${file === '-' ? 'stdin' : file}${code ? ` (${code})` : ''}.`,
      'Check the path and its permissions, or pass --file - and pipe the file in.',
    )
  }
  return Buffer.concat(chunks).toString('utf8')
}
