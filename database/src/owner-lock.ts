import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** The owner lock of a data dir, held by this process. */
export interface OwnerLock {
  generation: number
  /** Forgets the lock files of earlier generations (the newest one always stays). */
  prune(): void
  /** Gives the lock up: the next generation is written as released, so the next owner need not wait for this process to exit. */
  release(): void
}

const NAME = /^owner\.(\d{1,15})$/
const RELEASED = 'released'

/** A process's identity: pid and, where /proc exists, its start time (so a reused pid is not taken for the owner). */
function identity(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return `${pid} ${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`
  } catch {
    return null
  }
}

function holderAlive(content: string): boolean {
  const [pidText, start] = content.trim().split(' ')
  const pid = Number(pidText)
  if (content === RELEASED || !Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (!start) return true
  const now = identity(pid)
  return now === null || now === `${pid} ${start}`
}

function generations(lockDir: string): number[] {
  return readdirSync(lockDir)
    .map((n) => NAME.exec(n)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => b - a)
}

/** Creates `owner.<generation>` with content, atomically and only if it does not exist yet. */
function createGeneration(lockDir: string, generation: number, content: string): boolean {
  const temp = path.join(lockDir, `.candidate-${process.pid}-${randomBytes(6).toString('hex')}`)
  writeFileSync(temp, content, { mode: 0o600 })
  try {
    linkSync(temp, path.join(lockDir, `owner.${generation}`))
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    unlinkSync(temp)
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file)
  } catch {
    /* already gone */
  }
}

/**
 * Tries to become the owner of a data dir. Each generation's file `owner.<n>` can be created only
 * once (link(2) fails when it exists), and a process creates generation n+1 only after seeing the
 * holder of n dead or released; the newest generation is never unlinked. So two processes that
 * both saw the same dead holder race for the same name and one loses: there is no stale-lock race.
 * Returns null when a live process holds the newest generation.
 */
export function tryOwnerLock(lockDir: string): OwnerLock | null {
  mkdirSync(lockDir, { recursive: true, mode: 0o700 })
  const newest = generations(lockDir)[0]
  if (newest !== undefined) {
    let content: string
    try {
      content = readFileSync(path.join(lockDir, `owner.${newest}`), 'utf8')
    } catch {
      return null // pruned meanwhile: a newer generation exists, look again
    }
    if (holderAlive(content)) return null
  }
  const generation = (newest ?? 0) + 1
  if (!createGeneration(lockDir, generation, identity(process.pid) ?? String(process.pid))) return null
  // Verify: a process that listed long ago can only have created a generation below the newest.
  if (generations(lockDir)[0] !== generation) {
    unlinkQuietly(path.join(lockDir, `owner.${generation}`))
    return null
  }
  const prune = (below: number) => {
    for (const g of generations(lockDir)) if (g < below) unlinkQuietly(path.join(lockDir, `owner.${g}`))
  }
  return {
    generation,
    prune: () => prune(generation),
    release() {
      if (createGeneration(lockDir, generation + 1, RELEASED)) prune(generation + 1)
    },
  }
}
