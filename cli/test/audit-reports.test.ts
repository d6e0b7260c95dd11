/**
 * The audit's CI reports, checked by the tools that consume them: the SARIF passes Microsoft's
 * SARIF Multitool with GitHub's ingestion rules (`--rule-kind "Gh;Sarif"`) with zero errors, and
 * the JUnit XML stays well-formed when names hold characters XML cannot. Influencers without a
 * handle are named by name and id, never `@null`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FindingCode } from '@hms-admin/core'
import type { DatabaseHandle } from '@hms-admin/database'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { validateSarif } from '../../test-support/sarif-multitool.js'
import { mintBroadcasterToken, mintToken } from '../../test-support/tokens.js'
import { cli } from './harness.js'

const backend = testBackends().at(-1)!
const README = readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8')
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u

interface SarifLog {
  runs: {
    tool: { driver: { rules: Record<string, unknown>[] } }
    results: {
      ruleId: string
      level: string
      message: { text: string }
      locations: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }[]
      partialFingerprints: Record<string, string>
    }[]
  }[]
}

/** GitHub's anchor of a Markdown heading. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-')

describe(`audit reports for CI tools (${backend.name})`, () => {
  let db: Awaited<ReturnType<typeof backend.setup>>
  let handle: DatabaseHandle
  let dir: string
  const noHandleId = randomUUID()
  // A name from the app's database with controls XML forbids and U+FFFE/U+FFFF (Postgres stores no
  // NUL and no lone surrogate; xml-text.test.ts covers those).
  const oddName = 'Odd\u0001 \u000B\u001B<b>&"\uFFFE\uFFFF name'
  const secrets: string[] = []

  beforeAll(async () => {
    db = await backend.setup()
    handle = await openMigrated(db)
    dir = mkdtempSync(path.join(os.tmpdir(), 'audit-reports-'))
    const now = Math.floor(Date.now() / 1000)
    const expired = await mintToken({ exp: now - 60 })
    const expiring = await mintBroadcasterToken({ exp: now + 3600 })
    secrets.push(expired, expiring)
    const row = (handle: string | null, name: string, values: Record<string, string | null>) => ({
      id: handle === null ? noHandleId : randomUUID(),
      handle,
      name,
      hms_auth_token: null,
      room_code: null,
      hms_viewer_auth_token: null,
      hms_viewer_room_code: null,
      hms_credentials_version: 0,
      ...values,
    })
    await handle.db
      .insertInto('influencers')
      .values([
        row('alice', 'Alice', { hms_viewer_auth_token: expired, hms_auth_token: expiring }),
        row('bob', 'Bob', { room_code: 'abc-defg-hij' }),
        row(null, oddName, { hms_viewer_room_code: 'Not A Code' }),
      ] as never)
      .execute()
  }, 120_000)

  afterAll(async () => {
    await handle?.close()
    await backend.teardown()
    rmSync(dir, { recursive: true, force: true })
  })

  const audit = async (format: string, file: string, failOn = 'never') => {
    const r = await cli(db, ['audit', '--format', format, '--output', file, '--fail-on', failOn])
    expect(r.code, r.stderr).toBe(failOn === 'never' ? 0 : 1)
    const text = readFileSync(file, 'utf8')
    for (const secret of secrets) expect(text).not.toContain(secret.slice(20, 36))
    return text
  }

  it('writes SARIF that GitHub ingests: rules with help, physical locations, stable fingerprints', async () => {
    const first = JSON.parse(await audit('sarif', path.join(dir, 'a.sarif'))) as SarifLog
    const again = JSON.parse(await audit('sarif', path.join(dir, 'b.sarif'))) as SarifLog
    const [run] = first.runs
    expect(run!.tool.driver.rules.map((r) => r.id)).toEqual(Object.values(FindingCode))
    for (const rule of run!.tool.driver.rules) {
      expect(rule).toMatchObject({
        fullDescription: { text: expect.any(String) },
        help: { text: expect.any(String), markdown: expect.any(String) },
        helpUri: expect.stringMatching(/#[\w-]+$/),
      })
      const anchor = String(rule.helpUri).split('#')[1]
      expect(README.split('\n').some((l) => /^#+ /.test(l) && slug(l.replace(/^#+ /, '')) === anchor)).toBe(true)
    }
    const results = run!.results
    expect(new Set(results.map((r) => r.level))).toEqual(new Set(['error', 'warning']))
    for (const r of results) {
      expect(r.locations[0]!.physicalLocation!.artifactLocation.uri).toMatch(/^hms-admin\/influencers\/[^/\s]+$/)
      expect(r.locations[0]!.physicalLocation!.region.startLine).toBe(1)
      expect(r.message.text).not.toContain('@null')
    }
    const uris = new Set(results.map((r) => r.locations[0]!.physicalLocation!.artifactLocation.uri))
    expect(uris).toEqual(
      new Set(['hms-admin/influencers/alice', 'hms-admin/influencers/bob', `hms-admin/influencers/${noHandleId}`]),
    )
    const fingerprints = results.map((r) => JSON.stringify(r.partialFingerprints))
    expect(new Set(fingerprints).size).toBe(results.length)
    expect(again.runs[0]!.results.map((r) => JSON.stringify(r.partialFingerprints))).toEqual(fingerprints)
  })

  it('passes the SARIF Multitool with GitHub rules with zero errors', async () => {
    const file = path.join(dir, 'audit.sarif')
    await audit('sarif', file)
    const report = validateSarif(file, path.join(dir, 'validation.sarif'))
    expect(report.status, report.output).toBe(0)
    expect(report.errors).toEqual([])
    expect(report.output).toMatch(/1 files scanned/)
    console.info(`SARIF Multitool (Gh;Sarif): ${report.errors.length} error(s), ${report.warnings} warning(s)`)
  }, 180_000)

  it('the Multitool check fails on rules without fullDescription and help (the old output)', async () => {
    const log = JSON.parse(await audit('sarif', path.join(dir, 'c.sarif'))) as SarifLog
    for (const rule of log.runs[0]!.tool.driver.rules) {
      delete rule.fullDescription
      delete rule.help
    }
    const file = path.join(dir, 'no-help.sarif')
    writeFileSync(file, JSON.stringify(log))
    const report = validateSarif(file, path.join(dir, 'validation-bad.sarif'))
    expect(report.errors.length).toBe(2 * log.runs[0]!.tool.driver.rules.length)
    expect(report.errors[0]).toMatch(/GH2012/)
  }, 180_000)

  it('writes well-formed JUnit when names hold characters XML cannot', async () => {
    const xml = await audit('junit', path.join(dir, 'a.xml'), 'warning')
    expect(xml).not.toMatch(XML_INVALID)
    expect(XMLValidator.validate(xml)).toBe(true)
    const cases = new XMLParser({ ignoreAttributes: false }).parse(xml).testsuites.testsuite.testcase as {
      '@_classname': string
    }[]
    const names = new Set(cases.map((c) => c['@_classname']))
    expect(names.has('@alice')).toBe(true)
    expect([...names].find((n) => n.includes(noHandleId))).toMatch(/^Odd.*name \(id [\w-]+\)$/)
    expect(xml).not.toContain('@null')
  })

  it('names a handle-less influencer by name and id in text and GitHub annotations', async () => {
    for (const format of ['text', 'github']) {
      const out = await audit(format, path.join(dir, `a.${format}`))
      expect(out).toContain(`(id ${noHandleId})`)
      expect(out).not.toContain('@null')
      expect(out).not.toContain(`@${noHandleId}`)
    }
  })
})
