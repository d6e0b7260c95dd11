import { createHash } from 'node:crypto'
import { FINDING_RULES, type Finding, type FindingCode } from '@hms-admin/core'
import type { AuditItem, AuditWriter } from './audit-formats.js'
import { influencerKey, influencerLabel } from './influencer-label.js'

/** Where each rule's help lives: the README section listing every finding code. */
const FINDING_CODES_HELP_URI = 'https://github.com/hms-admin/hms-admin#finding-codes'

/** The SARIF rule of a finding code: descriptions and help as GitHub code scanning wants them. */
function sarifRule(code: FindingCode) {
  const rule = FINDING_RULES[code]
  return {
    id: code,
    name: code.replace(/[._](\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: {
      text: `${rule.description} Fix: ${rule.fix}`,
      markdown: `**${rule.title}**\n\n${rule.description}\n\n**Fix:** ${rule.fix}\n\nSee [finding codes](${FINDING_CODES_HELP_URI}).`,
    },
    helpUri: FINDING_CODES_HELP_URI,
    defaultConfiguration: { level: rule.severity },
    properties: { tags: ['security', 'credentials'] },
  }
}

/** The virtual path of an influencer in SARIF: `hms-admin/influencers/<handle or id>`, URI-encoded. */
function influencerUri(item: Pick<AuditItem, 'id' | 'handle' | 'name'>): string {
  return `hms-admin/influencers/${encodeURIComponent(influencerKey(item))}`
}

/** A fingerprint stable across runs: rule, influencer id and slot (never the secret). */
function findingFingerprint(item: AuditItem, finding: Finding): string {
  const key = `${finding.code}\u0000${item.id}\u0000${finding.field ?? '-'}`
  return createHash('sha256').update(key).digest('hex').slice(0, 32)
}

/** One SARIF result: a physical location GitHub accepts (a virtual path) plus the logical one. */
function sarifResult(item: AuditItem, finding: Finding, ruleIndex: number) {
  const key = influencerKey(item)
  return {
    ruleId: finding.code,
    ruleIndex,
    level: finding.severity === 'error' ? 'error' : 'warning',
    message: { text: `${influencerLabel(item)}${finding.field ? ` ${finding.field}` : ''}: ${finding.message}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: influencerUri(item) },
          region: { startLine: 1, startColumn: 1 },
        },
        logicalLocations: [
          {
            name: finding.field ?? key,
            fullyQualifiedName: `influencers/${key}${finding.field ? `/${finding.field}` : ''}`,
            kind: 'object',
          },
        ],
      },
    ],
    partialFingerprints: { 'hmsAdminFinding/v1': findingFingerprint(item, finding) },
    properties: { influencerId: item.id },
  }
}

/** The SARIF 2.1.0 writer: one run, every rule, one result per finding. */
export function sarifWriter(options: { rules: readonly FindingCode[]; version: string }): AuditWriter {
  const index = new Map(options.rules.map((r, i) => [r, i]))
  const driver = {
    name: 'hms-admin',
    informationUri: 'https://github.com/hms-admin/hms-admin',
    version: options.version,
    rules: options.rules.map(sarifRule),
  }
  let first = true
  return {
    begin: () =>
      `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":${JSON.stringify(driver)}},"results":[`,
    item: (i) =>
      i.findings
        .map((f) => {
          const s = `${first ? '' : ','}\n${JSON.stringify(sarifResult(i, f, index.get(f.code) ?? 0))}`
          first = false
          return s
        })
        .join(''),
    end: () => '\n]}]}\n',
  }
}
