/**
 * Test helper: runs Microsoft's SARIF Multitool (`@microsoft/sarif-multitool`, a self-contained
 * binary in `@microsoft/sarif-multitool-<platform>`, no .NET needed) with GitHub's ingestion rules.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, chmodSync, constants, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** The Multitool binary of this platform, made executable (npm 11 skips the package's own chmod postinstall). */
export function multitoolBinary(): string {
  const require = createRequire(import.meta.url)
  const dir = path.dirname(require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`))
  const bin = path.join(dir, process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool')
  try {
    accessSync(bin, constants.X_OK)
  } catch {
    chmodSync(bin, statSync(bin).mode | 0o100)
  }
  return bin
}

/** The outcome of one validation: the tool's exit status, each error's text and the count of warnings. */
export interface MultitoolReport {
  status: number | null
  errors: string[]
  warnings: number
  output: string
}

/**
 * Validates `file` with `validate --rule-kind "Gh;Sarif"` and reads the results from the tool's
 * own SARIF log (`out`), and its `: error ` lines, since exit code 0 does not mean zero errors.
 */
export function validateSarif(file: string, out: string): MultitoolReport {
  const run = spawnSync(
    multitoolBinary(),
    ['validate', file, '--rule-kind', 'Gh;Sarif', '-o', out, '--log', 'ForceOverwrite'],
    { encoding: 'utf8', env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' }, timeout: 120_000 },
  )
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`
  const log = JSON.parse(readFileSync(out, 'utf8')) as {
    runs: { results?: { level?: string; ruleId?: string; message?: { text?: string; id?: string } }[] }[]
  }
  const errors = log.runs
    .flatMap((r) => r.results ?? [])
    .filter((r) => r.level === 'error')
    .map((r) => `${r.ruleId}: ${r.message?.text ?? r.message?.id ?? ''}`)
  const errorLines = output.split('\n').filter((l) => l.includes(': error '))
  return {
    status: run.status,
    errors: errors.length >= errorLines.length ? errors : errorLines,
    warnings: output.split('\n').filter((l) => l.includes(': warning ')).length,
    output,
  }
}
