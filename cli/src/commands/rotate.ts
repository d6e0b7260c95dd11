import { evaluateInfluencer, fingerprintSecret, type CredentialField, type SharedSecret } from '@hms-admin/core'
import type { DatabaseHandle, Influencer } from '@hms-admin/database'
import { isDatabaseUnavailableError, sha256Hex } from '@hms-admin/database'
import type { CliDeps, GlobalOptions } from '../deps.js'
import { influencerLabel } from '../influencer-label.js'
import { CliError } from '../errors.js'
import { json, line } from '../output.js'
import { DURATION, parseInput } from '../cli-input.js'
import { fallbackPolicy, resolveInfluencer, withDatabase } from '../context.js'
import { readAppCredentials, type AppCredentialOptions } from '../app-credentials.js'
import { appTokenClaims, hasDecodeHazard, signAppToken } from '../mint-app-token.js'
import { ROTATE_SLOTS, rotationDecision } from '../rotation-candidates.js'
import { actorOf } from './set-token.js'
import { validForMs } from './token-mint.js'

/** Options of `rotate`. */
export interface RotateOptions extends AppCredentialOptions {
  expiringWithin?: string
  slot?: string
  validFor?: string
  dryRun?: boolean
  influencer?: string[]
  allowBroadcasterFallback?: boolean
}

/** One token's outcome: rotated (or would be, in a dry run), skipped or failed, with the reason. */
interface Outcome {
  influencer: string
  handle: string | null
  name: string
  field: CredentialField
  result: 'rotated' | 'skipped' | 'failed'
  reason?: string
  oldFingerprint: string
  newFingerprint?: string
  expiresAt?: string
}

/** `hms-admin rotate`: re-mints the tokens expiring soon with the same room, role and user. */
export async function runRotate(deps: CliDeps, global: GlobalOptions, options: RotateOptions): Promise<number> {
  const slot = options.slot ?? 'viewer'
  if (!(slot in ROTATE_SLOTS))
    throw new CliError(2, '--slot must be viewer, broadcaster or all.', 'For example --slot all.')
  const fields: readonly CredentialField[] = ROTATE_SLOTS[slot as keyof typeof ROTATE_SLOTS]
  const expiringWithinMs = parseInput('--expiring-within', DURATION, options.expiringWithin ?? '7d')
  const validity = validForMs(options.validFor)
  const app = await readAppCredentials(deps, options)
  const now = deps.now()
  const context = {
    now,
    expiringWithinMs,
    validity,
    app,
    fields,
    fallback: fallbackPolicy(deps, options.allowBroadcasterFallback),
  }
  return withDatabase(deps, global, async (handle) => {
    const outcomes: (Outcome[] | Promise<Outcome[]>)[] = []
    // The embedded database runs one transaction at a time: writing several at once gains nothing.
    const writes = writeWindow(handle.backend === 'pglite' ? 1 : WRITES_IN_FLIGHT)
    const shared = await (await import('@hms-admin/database')).findSharedSecretsInDatabase(handle.db)
    try {
      for await (const row of selected(handle, options.influencer)) {
        const { changes, pending, done } = planRow(row, shared.get(row.id) ?? [], context)
        outcomes.push(done)
        if (pending.length > 0)
          outcomes.push((await writes.add(() => write(deps, handle, row, changes, pending, options.dryRun))).done)
      }
    } finally {
      // Nothing may still be writing when the database closes, also after a failure.
      await writes.drain()
    }
    return finish(deps, global, (await Promise.all(outcomes)).flat(), options.dryRun === true)
  })
}

/** Influencers written at once on a Postgres server, each in its own transaction (its pool holds 10 connections). */
const WRITES_IN_FLIGHT = 8

/**
 * Runs at most `size` writes at once: add() starts one, waiting first while `size` are running,
 * and returns its promise (wrapped, so that awaiting add() waits only for a free place). A write
 * that fails (only a lost database fails one; other problems are outcomes) stops the window: the
 * next add() throws that error, so no more writes start.
 */
function writeWindow(size: number) {
  const running = new Set<Promise<unknown>>()
  let failure: { error: unknown } | null = null
  return {
    async add<T>(start: () => Promise<T>): Promise<{ done: Promise<T> }> {
      while (running.size >= size && failure === null) await Promise.race(running)
      if (failure !== null) throw failure.error
      const done = start()
      const settled: Promise<unknown> = done.then(
        () => running.delete(settled),
        (error: unknown) => {
          failure ??= { error }
          running.delete(settled)
        },
      )
      running.add(settled)
      return { done }
    },
    async drain(): Promise<void> {
      await Promise.all(running)
    },
  }
}

interface RotateContext {
  now: Date
  expiringWithinMs: number
  validity: number
  app: { accessKey: string; secret: string }
  fields: readonly CredentialField[]
  fallback: boolean
}

/** One influencer's selected tokens: the new values to write, their outcomes, and the ones skipped or failed. */
function planRow(row: Influencer, sharedSecrets: readonly SharedSecret[], c: RotateContext) {
  const report = evaluateInfluencer({
    credentials: row.credentials,
    sharedSecrets,
    now: c.now,
    expiringWithinMs: c.expiringWithinMs,
    allowBroadcasterFallback: c.fallback,
    fingerprints: false,
  })
  const changes: Partial<Record<CredentialField, string>> = {}
  const pending: Outcome[] = []
  const done: Outcome[] = []
  for (const field of c.fields) {
    const value = row.credentials[field]
    const decision = rotationDecision(field, value, report, {
      now: c.now,
      expiringWithinMs: c.expiringWithinMs,
      accessKey: c.app.accessKey,
    })
    if (decision === null) continue
    const base = {
      influencer: row.id,
      handle: row.handle,
      name: row.name,
      field,
      oldFingerprint: fingerprintSecret(value!, sha256Hex),
    }
    if (decision.kind === 'skip') {
      done.push({ ...base, result: 'skipped', reason: decision.reason })
      continue
    }
    const claims = appTokenClaims({ ...decision, accessKey: c.app.accessKey, validForMs: c.validity, now: c.now })
    const token = signAppToken(claims, c.app.secret)
    if (hasDecodeHazard(token)) {
      done.push({ ...base, result: 'failed', reason: 'the new token would trip the SDK decode hazard' })
      continue
    }
    changes[field] = token
    const expiresAt = new Date(claims.exp * 1000).toISOString()
    pending.push({ ...base, result: 'rotated', newFingerprint: fingerprintSecret(token, sha256Hex), expiresAt })
  }
  return { changes, pending, done }
}

async function* selected(handle: DatabaseHandle, queries: string[] | undefined): AsyncIterable<Influencer> {
  const { streamInfluencers } = await import('@hms-admin/database')
  if (!queries || queries.length === 0) {
    yield* streamInfluencers(handle.db, { batchSize: 1000 })
    return
  }
  const seen = new Set<string>()
  for (const q of queries) {
    const row = await resolveInfluencer(handle, q)
    if (!seen.has(row.id)) yield row
    seen.add(row.id)
  }
}

async function write(
  deps: CliDeps,
  handle: DatabaseHandle,
  row: Influencer,
  changes: Partial<Record<CredentialField, string>>,
  pending: Outcome[],
  dryRun: boolean | undefined,
): Promise<Outcome[]> {
  if (dryRun) return pending
  const { updateCredentials } = await import('@hms-admin/database')
  try {
    const result = await updateCredentials(handle.db, {
      influencerId: row.id,
      expectedVersion: row.credentialsVersion,
      changes,
      actor: actorOf(deps),
      action: 'rotate',
    })
    if (result.ok) return pending
    const reason =
      result.reason === 'conflict'
        ? 'the credentials changed meanwhile (re-run)'
        : 'the influencer was deleted meanwhile'
    return pending.map(({ newFingerprint: _n, expiresAt: _e, ...o }) => ({ ...o, result: 'failed', reason }))
  } catch (error) {
    if (isDatabaseUnavailableError(error)) throw error
    return pending.map(({ newFingerprint: _n, expiresAt: _e, ...o }) => ({
      ...o,
      result: 'failed',
      reason: 'the write failed',
    }))
  }
}

function finish(deps: CliDeps, global: GlobalOptions, outcomes: Outcome[], dryRun: boolean): number {
  const of = (r: Outcome['result']) => outcomes.filter((o) => o.result === r)
  const [rotated, skipped, failed] = [of('rotated'), of('skipped'), of('failed')]
  if (global.json) json(deps.stdout, { dryRun, rotated, skipped, failed })
  else {
    const who = (o: Outcome) => `${influencerLabel({ id: o.influencer, handle: o.handle, name: o.name })} ${o.field}`
    for (const o of rotated)
      line(
        deps.stdout,
        `${dryRun ? 'would rotate' : 'rotated'} ${who(o)} ${o.oldFingerprint} -> ${o.newFingerprint}, expires ${o.expiresAt}`,
      )
    for (const o of skipped) line(deps.stdout, `skipped ${who(o)} ${o.oldFingerprint}: ${o.reason}`)
    for (const o of failed) line(deps.stdout, `failed ${who(o)} ${o.oldFingerprint}: ${o.reason}`)
    line(
      deps.stderr,
      `${rotated.length} ${dryRun ? 'to rotate (dry run, nothing written)' : 'rotated'}, ${skipped.length} skipped, ${failed.length} failed.`,
    )
  }
  return skipped.length + failed.length > 0 ? 1 : 0
}
