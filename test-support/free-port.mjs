import { createServer } from 'node:net'

/** A loopback TCP port free right now (the OS picks it; the probe socket is closed before resolving). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}
