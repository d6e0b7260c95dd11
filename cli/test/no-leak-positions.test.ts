import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { mintToken } from '../../test-support/tokens.js'
import type { DatabaseOptions } from '@hms-admin/database'
import type { CliDeps } from '../src/deps.js'
import { buildProgram } from '../src/program.js'
import { scriptedPrompts } from '../src/prompts.js'
import { cli } from './harness.js'

// A secret pasted into the wrong place is never echoed: every argument and option position of every
// command of the real commander program (so a new command or option is covered without editing
// this file), plus an unknown command, an extra argument and an unknown option, each holding a
// real JWT, an HMS_ token or a room code, in text and --json mode.

interface Leaf {
  path: string[]
  command: Command
}

/** Every runnable command of the program, with its path of names. */
function leaves(command: Command, prefix: string[] = []): Leaf[] {
  const children = command.commands as Command[]
  if (children.length === 0) return [{ path: prefix, command }]
  return children.flatMap((child) => leaves(child, [...prefix, child.name()]))
}

/** argv lists that put `secret` in each position of `leaf`, the rest benign. */
function positionsOf(
  { path: names, command }: Leaf,
  globals: Command,
  secret: string,
  dir: string,
  busyPort: number,
): string[][] {
  const args = command.registeredArguments
  const benignArgs = args.filter((a) => a.required).map(() => 'nobody')
  const required = (except?: string) =>
    command.options.filter((o) => o.mandatory && o.long !== except).flatMap((o) => [o.long!, 'Benign Name'])
  const requiredOptions = required()
  // serve would start listening: a port that is taken makes it stop once the input is read (not
  // port 1, which root may take).
  const base = names[0] === 'serve' ? ['--port', String(busyPort)] : []
  const run = (...rest: string[]) => [...names, ...rest, ...base]
  const value = (long: string) => (long === '--data-dir' || long === '--output' ? path.join(dir, secret) : secret)
  const out: string[][] = []
  args.forEach((_, i) => {
    const filled = args.map((a, j) => (j === i ? secret : a.required ? 'nobody' : null)).filter((a) => a !== null)
    out.push(run(...(filled as string[]), ...requiredOptions))
  })
  for (const option of [...command.options, ...globals.options]) {
    const long = option.long!
    if (long === '--version' || long === '--help') continue
    const rest = option.isBoolean() ? [`${long}=${secret}`] : [long, value(long)]
    out.push(run(...benignArgs, ...required(long), ...rest))
  }
  out.push(run(...benignArgs, ...requiredOptions, secret))
  out.push(run(...benignArgs, ...requiredOptions, `--${secret}`))
  return out
}

describe.each(testBackends().map((backend) => [backend.name, backend] as const))(
  'no secret pasted into any argument or option is echoed (%s)',
  (name, backend) => {
    let db: DatabaseOptions
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-positions-'))
    const blocker = net.createServer()
    beforeAll(async () => {
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
      db = await backend.setup()
      await (await openMigrated(db)).close()
    }, 60_000)
    afterAll(async () => {
      await new Promise((resolve) => blocker.close(resolve))
      await backend.teardown()
      rmSync(dir, { recursive: true, force: true })
    })

    it(`in every position of every command, in text and --json (${name})`, async () => {
      const secrets = {
        jwt: await mintToken({ user_id: 'pasted' }),
        hms: `HMS_${'pastedsecret'.repeat(4)}`,
        roomCode: 'pst-edro-omx',
      }
      const program = buildProgram(
        { prompts: scriptedPrompts([]) } as unknown as CliDeps,
        () => {},
        () => {},
      )
      const all = leaves(program)
      expect(all.map((leaf) => leaf.path.join(' '))).toEqual(expect.arrayContaining(['show', 'audit', 'set-token']))
      let runs = 0
      for (const secret of Object.values(secrets)) {
        const argvs = [
          [secret],
          ...all.flatMap((leaf) =>
            positionsOf(leaf, program, secret, dir, (blocker.address() as net.AddressInfo).port),
          ),
        ]
        for (const argv of argvs)
          for (const mode of [[], ['--json']]) {
            const r = await cli(db, [...mode, ...argv], { stdin: '' })
            runs += 1
            for (let i = 0; i + 16 <= secret.length; i++) {
              const slice = secret.slice(i, i + 16)
              if (r.all.includes(slice))
                expect.fail(`hms-admin ${[...mode, ...argv].join(' ')} printed …${slice}…:\n${r.all}`)
            }
            // A room code is shorter than 16 characters: it must not appear whole either.
            if (secret === secrets.roomCode) expect(r.all, argv.join(' ')).not.toContain(secret)
          }
      }
      expect(runs).toBeGreaterThan(100)
    }, 900_000)
  },
)
