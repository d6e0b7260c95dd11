import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { init, parse } from 'es-module-lexer'

const run = promisify(execFile)

/** The repository root. */
export const REPO = resolve(import.meta.dirname, '..')

/** The environment of a process run as a user would: no npm script context, no database of ours. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    const npmContext = key.startsWith('npm_') && key !== 'npm_config_cache' && key !== 'npm_config_registry'
    if (!npmContext && !['DATABASE_URL', 'TEST_DATABASE_URL', 'HMS_ADMIN_DATA_DIR', 'INIT_CWD'].includes(key))
      env[key] = value
  }
  return { ...env, NO_COLOR: '1', ...extra }
}

/** Runs a command, failing with its output when it fails. */
export async function command(cmd: string, args: string[], cwd: string, timeoutMs = 600_000): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { cwd, env: userEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 })
    return stdout
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`)
  }
}

/**
 * Packs every workspace into `dir` and writes `dir/app/package.json` depending on the CLI tarball
 * only; the sibling packages are pointed at their tarballs through `overrides`, so a dependency the
 * CLI (or a package it needs) forgot to declare is not installed. Then `npm install`s it.
 */
export async function installPackedCli(dir: string): Promise<string> {
  for (const pkg of ['core', 'migrations', 'database', 'server', 'cli', 'widget'])
    if (!existsSync(join(REPO, pkg, 'dist')))
      throw new Error(`${pkg}/dist is missing: run \`npm run build\` before the packed-install tests.`)
  const tarballs = join(dir, 'tarballs')
  mkdirSync(tarballs, { recursive: true })
  const packed = JSON.parse(
    await command('npm', ['pack', '--workspaces', '--ignore-scripts', '--json', '--pack-destination', tarballs], REPO),
  ) as { name: string; filename: string }[]
  const file = (name: string) => `file:${join(tarballs, packed.find((p) => p.name === name)?.filename ?? name)}`
  const app = join(dir, 'app')
  mkdirSync(app)
  const overrides = Object.fromEntries(
    packed.filter((p) => p.name !== '@hms-admin/cli').map((p) => [p.name, file(p.name)]),
  )
  const manifest = { name: 'packed-install', private: true, dependencies: { '@hms-admin/cli': file('@hms-admin/cli') } }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ ...manifest, overrides }, null, 2))
  await command('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], app)
  return app
}

/** A process started in its own process group, with its output collected. */
export interface Started {
  child: ChildProcess
  output: () => string
  /** Resolves to the URL printed as `Listening on URL`. */
  url: Promise<string>
  /** Sends `signal` to the whole group (npx and what it started); resolves once all of it has closed its output. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** Starts `cmd args` in `cwd` and waits (up to `timeoutMs`) for the `Listening on` line. */
export function startListening(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Started {
  mkdirSync(cwd, { recursive: true })
  const child = spawn(cmd, args, { cwd, env: userEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  // 'close' comes after every process of the group that holds the output pipes has exited.
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "Listening on" within ${timeoutMs} ms:\n${output}`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const found = /Listening on (http:\/\/\S+)/.exec(output)
      if (found?.[1]) {
        clearTimeout(timer)
        resolve(found[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void closed.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${cmd} ${args.join(' ')} exited with ${code} before listening:\n${output}`))
    })
  })
  url.catch(() => {})
  return {
    child,
    output: () => output,
    url,
    async stop(signal = 'SIGINT') {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal)
      } catch {
        // The group has exited already.
      }
      await closed
    },
  }
}

/**
 * Fetches `entry` and every module it imports, statically or with `import()`, recursively; returns
 * the status of each URL (every chunk of the widget, the lazy SDK included).
 */
export async function fetchModuleGraph(entry: string): Promise<Map<string, number>> {
  await init
  const statuses = new Map<string, number>()
  const queue = [entry]
  while (queue.length > 0) {
    const url = queue.shift() as string
    if (statuses.has(url)) continue
    const res = await fetch(url)
    statuses.set(url, res.status)
    if (res.status !== 200) continue
    const [imports] = parse(await res.text())
    for (const { n } of imports) if (n?.startsWith('.')) queue.push(new URL(n, url).href)
  }
  return statuses
}

/** The code block of the README that follows `marker`, exactly as a user would copy it. */
export function readmeSnippet(marker: string): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
  const at = readme.indexOf(marker)
  const block = /```js\n([\s\S]*?)\n\s*```/.exec(readme.slice(at))
  if (at < 0 || !block?.[1]) throw new Error(`README.md has no \`\`\`js block after ${marker}`)
  // The block may sit in a list item: drop its indentation.
  const indent = /^ */.exec(block[1])?.[0].length ?? 0
  return block[1]
    .split('\n')
    .map((line) => line.slice(indent))
    .join('\n')
}
