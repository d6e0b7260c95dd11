#!/usr/bin/env node
// Runs every bench/*.bench.mjs in its own child process, one after the other, so that one
// benchmark's heap, sockets and timers never disturb the next. Each bench measures its own
// baseline in the same run and prints ratios against it.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort()

let failed = 0
for (const name of benches) {
  process.stdout.write(`\n== ${name} ==\n`)
  const result = spawnSync(process.execPath, [join(here, name)], { stdio: 'inherit' })
  if (result.status !== 0) {
    failed += 1
    process.stdout.write(`${name} failed (exit ${result.status ?? result.signal})\n`)
  }
}
process.exitCode = failed === 0 ? 0 : 1
