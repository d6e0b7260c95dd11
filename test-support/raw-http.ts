import { connect } from 'node:net'

/** The status line's code, the header block and the body of a raw HTTP/1.1 exchange. */
export interface RawAnswer {
  status: number
  head: string
  body: Buffer
}

/**
 * Sends `METHOD path` byte for byte (no URL normalisation, unlike fetch: `..`, backslashes and
 * `%2e` reach the server as written) and reads the answer until the server closes the connection.
 */
export function rawRequest(
  base: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(base)
  const lines = Object.entries({ host: 'localhost', connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const data = Buffer.concat(chunks)
      const end = data.indexOf('\r\n\r\n')
      const head = data.subarray(0, end < 0 ? data.length : end).toString('latin1')
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        head,
        body: data.subarray(end < 0 ? data.length : end + 4),
      })
    })
    socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n`, 'latin1')
  })
}
