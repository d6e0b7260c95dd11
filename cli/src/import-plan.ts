import {
  CREDENTIAL_FIELDS,
  containsSecret,
  evaluateInfluencer,
  fingerprintSecret,
  maskSecret,
  type CredentialField,
  type Credentials,
  type Finding,
  type SharedSecret,
} from '@hms-admin/core'
import type { Influencer } from '@hms-admin/database'
import { sha256Hex } from '@hms-admin/database'
import { echoCell, type ImportProblem, type ImportRow } from './import-rows.js'
import { influencerLabel } from './influencer-label.js'

/** An influencer the import touches: what it holds now and the values that change. */
export interface PlannedInfluencer {
  id: string
  handle: string
  /** How messages name it (`@handle`, or name and id without a usable handle). */
  label: string
  created: boolean
  version: number
  current: Credentials
  changes: Partial<Record<CredentialField, string>>
  lines: Partial<Record<CredentialField, number>>
}

/** One changed slot, as the dry run shows it: fingerprints only. */
export interface ImportDiffLine {
  line: number
  influencer: string
  field: CredentialField
  old: string | null
  new: string
}

/** What an import would do: the problems that stop it, the error findings --force lets through, and the changes. */
export interface ImportPlan {
  problems: ImportProblem[]
  forced: ImportProblem[]
  influencers: PlannedInfluencer[]
  diff: ImportDiffLine[]
}

/** The policy an import evaluates under, as set-token does. */
export interface ImportPolicy {
  now: Date
  allowBroadcasterFallback: boolean
  live: Set<string>
  force: boolean
  createMissing: boolean
  newId: () => string
  /** Who in the database holds these values, in which slot (cross-influencer rules). */
  holdersOf: (values: string[]) => Promise<{ influencerId: string; field: CredentialField; value: string }[]>
}

const HANDLE = /^@?[A-Za-z0-9_.-]{1,64}$/
const EMPTY: Credentials = {
  broadcasterToken: null,
  broadcasterRoomCode: null,
  viewerToken: null,
  viewerRoomCode: null,
}

type Resolution = { ok: true; influencer: PlannedInfluencer } | { ok: false; message: string }

function resolver(existing: readonly Influencer[], policy: ImportPolicy): (typed: string) => Resolution {
  const byId = new Map(existing.map((i) => [i.id.toLowerCase(), i]))
  const byHandle = new Map<string, Influencer[]>()
  const byName = new Map<string, Influencer[]>()
  const add = (map: Map<string, Influencer[]>, key: string, i: Influencer) => map.set(key, [...(map.get(key) ?? []), i])
  for (const i of existing) {
    if (i.handle) add(byHandle, i.handle.toLowerCase(), i)
    add(byName, i.name.toLowerCase(), i)
  }
  const planned = new Map<string, PlannedInfluencer>()
  const plan = (i: Influencer): PlannedInfluencer => {
    const found = planned.get(i.id) ?? {
      id: i.id,
      handle: i.handle ?? i.id,
      label: influencerLabel(i),
      created: false,
      version: i.credentialsVersion,
      current: i.credentials,
      changes: {},
      lines: {},
    }
    planned.set(i.id, found)
    return found
  }
  return (typed) => {
    const q = typed.trim().replace(/^@/, '').toLowerCase()
    const one = byId.get(typed.trim().toLowerCase()) ?? byHandle.get(q)?.[0]
    if (one && (byHandle.get(q)?.length ?? 0) <= 1) return { ok: true, influencer: plan(one) }
    const named = byName.get(typed.trim().toLowerCase()) ?? []
    if (named.length === 1) return { ok: true, influencer: plan(named[0]!) }
    if (named.length > 1 || (byHandle.get(q)?.length ?? 0) > 1)
      return { ok: false, message: `"${echoCell(typed)}" matches several influencers; use the id instead.` }
    const fresh = planned.get(`new:${q}`)
    if (fresh) return { ok: true, influencer: fresh }
    if (!policy.createMissing)
      return { ok: false, message: `no influencer matches "${echoCell(typed)}" (--create-missing adds it).` }
    if (!HANDLE.test(typed.trim()) || containsSecret(typed))
      return {
        ok: false,
        message: `"${echoCell(typed)}" is not a valid handle to create (letters, digits, _ . -; never a token or room code).`,
      }
    const handle = typed.trim().replace(/^@/, '')
    const created = { id: policy.newId(), handle, label: `@${handle}`, created: true, version: 0 }
    const entry = { ...created, current: EMPTY, changes: {}, lines: {} }
    planned.set(`new:${q}`, entry)
    return { ok: true, influencer: entry }
  }
}

/**
 * Plans an import: resolves each row's influencer, refuses duplicates and unknown influencers, and
 * evaluates every touched influencer like set-token does, with the cross-influencer rules run over
 * the database as it would be after the import (so two rows of the file sharing a secret are caught).
 */
export async function planImport(
  rows: readonly ImportRow[],
  existing: readonly Influencer[],
  policy: ImportPolicy,
): Promise<ImportPlan> {
  const problems: ImportProblem[] = []
  const resolve = resolver(existing, policy)
  const touched = new Map<string, PlannedInfluencer>()
  for (const row of rows) {
    const r = resolve(row.influencer)
    if (!r.ok) {
      problems.push({ line: row.line, message: r.message })
      continue
    }
    const p = r.influencer
    const first = p.lines[row.field]
    if (first !== undefined) {
      problems.push({
        line: row.line,
        message: `a second value for ${p.label} ${row.field} (the first is on line ${first}).`,
      })
      continue
    }
    p.lines[row.field] = row.line
    if (p.current[row.field]?.trim() !== row.value) p.changes[row.field] = row.value
    touched.set(p.id, p)
  }
  const planned = [...touched.values()].filter((p) => Object.keys(p.changes).length > 0)
  const forced: ImportProblem[] = []
  const holders = await policy.holdersOf(planned.flatMap((p) => Object.values(p.changes)))
  for (const finding of evaluate(planned, holders, policy)) (policy.force ? forced : problems).push(finding)
  const byLine = (a: { line: number }, b: { line: number }) => a.line - b.line
  const diff = planned.flatMap((p) =>
    CREDENTIAL_FIELDS.filter((f) => p.changes[f] !== undefined).map((f) => ({
      line: p.lines[f]!,
      influencer: p.handle,
      field: f,
      old: p.current[f] ? fingerprintSecret(p.current[f]!, sha256Hex) : null,
      new: fingerprintSecret(p.changes[f]!, sha256Hex),
    })),
  )
  return { problems: problems.sort(byLine), forced: forced.sort(byLine), influencers: planned, diff: diff.sort(byLine) }
}

function evaluate(
  planned: readonly PlannedInfluencer[],
  holders: Awaited<ReturnType<ImportPolicy['holdersOf']>>,
  policy: ImportPolicy,
): ImportProblem[] {
  const shared = sharedFindings(planned, holders)
  const out: ImportProblem[] = []
  for (const p of planned) {
    const report = evaluateInfluencer({
      credentials: { ...p.current, ...p.changes },
      sharedSecrets: shared.get(p.id) ?? [],
      now: policy.now,
      allowBroadcasterFallback: policy.allowBroadcasterFallback,
      isLive: policy.live.has(p.id),
      fingerprints: false,
    })
    for (const f of report.findings) if (isRefusal(f, p)) out.push(problemOf(f, p))
  }
  return out
}

/**
 * The shared-secret facts of each changed value held by another influencer after the import: the
 * file's own values, plus the database's except slots the file overwrites.
 */
function sharedFindings(
  planned: readonly PlannedInfluencer[],
  holders: Awaited<ReturnType<ImportPolicy['holdersOf']>>,
): Map<string, SharedSecret[]> {
  const byId = new Map(planned.map((p) => [p.id, p]))
  const holding = new Map<string, Set<string>>()
  const hold = (value: string, id: string) => {
    const set = holding.get(value) ?? new Set<string>()
    set.add(id)
    holding.set(value, set)
  }
  for (const p of planned)
    for (const f of CREDENTIAL_FIELDS) {
      const value = (p.changes[f] ?? p.current[f])?.trim()
      if (value) hold(value, p.id)
    }
  for (const h of holders) if (byId.get(h.influencerId)?.changes[h.field] === undefined) hold(h.value, h.influencerId)
  const out = new Map<string, SharedSecret[]>()
  for (const p of planned) {
    const found: SharedSecret[] = []
    for (const f of CREDENTIAL_FIELDS) {
      const others = p.changes[f] === undefined ? 0 : (holding.get(p.changes[f]!)?.size ?? 1) - 1
      if (others > 0) found.push({ field: f, sharedWithCount: others })
    }
    if (found.length > 0) out.set(p.id, found)
  }
  return out
}

const isRefusal = (f: Finding, p: PlannedInfluencer) =>
  f.severity === 'error' && f.field !== null && p.changes[f.field] !== undefined

function problemOf(f: Finding, p: PlannedInfluencer): ImportProblem {
  const field = f.field as CredentialField
  return {
    line: p.lines[field]!,
    message: `${p.label} ${field} ${maskSecret(p.changes[field]!)}: ${f.code}: ${f.message}`,
  }
}
