import { createServer as createTcpServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Kysely } from 'kysely'
import { migrateToLatest as migrateRealToLatest } from '@hms-admin/migrations'
import { openDatabase } from '@hms-admin/database'
import { testBackends } from '../../test-support/backends.js'
import { runServe } from '../src/commands/serve.js'

// `hms-admin serve` as a command (the endpoint itself is tested in @hms-admin/server).
const migrateToLatest = (db: unknown) => migrateRealToLatest(db as Kysely<any>)

describe('hms-admin serve (the command)', () => {
  describe.each(testBackends().map((backend) => [backend.name, backend] as const))('on %s', (name, backend) => {
    beforeAll(() => backend.setup())
    afterAll(() => backend.teardown())

    it(`prints the URL and the next commands, serves, and stops on SIGTERM (${name})`, async () => {
      let stdout = ''
      let stderr = ''
      let onInstructions: () => void = () => {}
      const instructions = new Promise<void>((resolve) => (onInstructions = resolve))
      const exit = runServe(
        {
          stdout: {
            write: (text: string) => {
              stdout += text
              if (/Press Ctrl\+C/.test(stdout)) onInstructions()
              return true
            },
          },
          stderr: { write: (text: string) => (stderr += text) },
          env: {},
          openDatabase: openDatabase,
          migrate: migrateToLatest,
        },
        { port: 0, demo: true, rateLimit: '300', allowOrigin: [], ...backend.options },
      )
      await Promise.race([instructions, exit])
      const url = /Listening on (http:\/\/\S+)/.exec(stdout)?.[1]
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(stdout).toContain('npx hms-admin list')
      expect(stdout).toContain(`${url}/`)
      expect((await fetch(`${url}/api/live-streams`)).status).toBe(200)
      process.emit('SIGTERM')
      expect(await exit).toBe(0)
      expect(stderr).toContain('Stopped.')
      expect(stdout + stderr).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/)
    }, 60_000)

    it(`reports a port already in use as an environment error and closes the database (${name})`, async () => {
      const blocker = createTcpServer()
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
      const port = (blocker.address() as { port: number }).port
      try {
        const deps = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, migrate: migrateToLatest }
        await expect(runServe(deps, { port, ...backend.options })).rejects.toMatchObject({
          exitCode: 3,
          message: expect.stringContaining('already in use'),
        })
      } finally {
        await new Promise((resolve) => blocker.close(resolve))
      }
    }, 60_000)

    it(`refuses a malformed port as a usage error (${name})`, async () => {
      const deps = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} }
      await expect(runServe(deps, { port: 'eighty' })).rejects.toMatchObject({ exitCode: 2 })
    })
  })
})
