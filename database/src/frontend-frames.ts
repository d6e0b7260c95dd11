/** Postgres's own limit for a startup packet. */
export const MAX_STARTUP_LENGTH = 10_000
/** The longest message a client may send (our statements are small; Postgres allows 1 GB). */
export const MAX_MESSAGE_LENGTH = 64 * 1024 * 1024

const PROTOCOL_3 = 196608
const SSL_REQUEST = 80877103
const GSS_REQUEST = 80877104
const CANCEL_REQUEST = 80877102
// Query, Parse, Bind, Execute, Describe, Close, Sync, Flush, Terminate, FunctionCall, CopyData/Done/Fail.
const MESSAGE_TYPES = new Set([...'QPBEDCSHXFdcf'].map((c) => c.charCodeAt(0)))

/** One frame a client sent, or why the stream is not the Postgres protocol. */
export type Frame =
  | { kind: 'startup' | 'encryption-request' | 'cancel'; bytes: Buffer; length: number }
  | { kind: 'message'; type: string; bytes: Buffer; length: number }
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string }

function startupFrame(buffer: Buffer): Frame {
  if (buffer.length < 8) return { kind: 'incomplete' }
  const length = buffer.readInt32BE(0)
  if (length < 8 || length > MAX_STARTUP_LENGTH) return { kind: 'invalid', reason: `startup packet length ${length}` }
  const code = buffer.readInt32BE(4)
  const kind =
    code === PROTOCOL_3
      ? 'startup'
      : code === SSL_REQUEST || code === GSS_REQUEST
        ? 'encryption-request'
        : code === CANCEL_REQUEST
          ? 'cancel'
          : null
  if (!kind) return { kind: 'invalid', reason: `unsupported protocol ${code}` }
  if (buffer.length < length) return { kind: 'incomplete' }
  return { kind, bytes: buffer.subarray(0, length), length }
}

/**
 * The next complete frame at the start of buffer. Every length is checked against its bounds
 * before anything waits for more bytes, so a bogus length drops the client instead of making the
 * owner wait (or buffer) forever.
 */
export function nextFrame(buffer: Buffer, started: boolean): Frame {
  if (!started) return startupFrame(buffer)
  if (buffer.length < 1) return { kind: 'incomplete' }
  const type = buffer[0]!
  if (!MESSAGE_TYPES.has(type)) return { kind: 'invalid', reason: `unknown message type 0x${type.toString(16)}` }
  if (buffer.length < 5) return { kind: 'incomplete' }
  const length = buffer.readUInt32BE(1)
  if (length < 4 || length > MAX_MESSAGE_LENGTH) return { kind: 'invalid', reason: `message length ${length}` }
  if (buffer.length < 1 + length) return { kind: 'incomplete' }
  return { kind: 'message', type: String.fromCharCode(type), bytes: buffer.subarray(0, 1 + length), length: 1 + length }
}

/** A FATAL ErrorResponse with SQLSTATE code, as Postgres sends before closing a connection. */
export function fatalError(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8')
  const head = Buffer.alloc(5)
  head.write('E', 0)
  head.writeInt32BE(4 + fields.length, 1)
  return Buffer.concat([head, fields])
}
