import type { Finding, FindingCode } from '@hms-admin/core'
import type { ChalkInstance } from 'chalk'
import { influencerLabel } from './influencer-label.js'
import { junitWriter } from './junit-writer.js'
import { findingJson, findingLine, type SlotJson, type ViewerReceives } from './report-view.js'
import { sarifWriter } from './sarif-writer.js'

/** One audited influencer. */
export interface AuditItem {
  id: string
  handle: string | null
  name: string
  status: string
  viewerReceives: ViewerReceives
  /** The slots as JSON (masked values and non-secret claims only). */
  slots: SlotJson[]
  findings: Finding[]
}

/** Totals at the end of an audit. */
export interface AuditTotals {
  influencers: number
  error: number
  warning: number
  failing: number
}

/** A streaming writer of one audit format: begin, one call per influencer, end. */
export interface AuditWriter {
  begin(): string
  item(item: AuditItem): string
  end(totals: AuditTotals): string
}

/** The formats of `audit --format`. */
export const AUDIT_FORMATS = ['text', 'json', 'junit', 'sarif', 'github'] as const
export type AuditFormat = (typeof AUDIT_FORMATS)[number]

const ghEscape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const ghProp = (s: string) => ghEscape(s).replace(/:/g, '%3A').replace(/,/g, '%2C')

/** The heading of an influencer in the text format: `@handle name (id)`, or the label naming it by name and id. */
function textHeading(i: AuditItem, c: ChalkInstance): string {
  const label = influencerLabel(i)
  return label.startsWith('@') ? `${c.bold(label)} ${i.name} (${i.id})` : c.bold(label)
}

/** Creates the writer of a format; `atOrAbove` says whether a finding reaches --fail-on. */
export function auditWriter(
  format: AuditFormat,
  options: {
    rules: readonly FindingCode[]
    atOrAbove: (f: Finding) => boolean
    colour: ChalkInstance
    version: string
  },
): AuditWriter {
  const c = options.colour
  let first = true
  switch (format) {
    case 'text':
      return {
        begin: () => '',
        item: (i) =>
          i.findings.length === 0
            ? ''
            : `${textHeading(i, c)}\n${i.findings.map((f) => `${findingLine(f, c)}\n`).join('')}`,
        end: (t) =>
          `${t.influencers} influencer(s) audited: ${t.error} error(s), ${t.warning} warning(s); ${t.failing} influencer(s) at or above the threshold.\n`,
      }
    case 'json':
      return {
        begin: () => '{"influencers":[',
        item: (i) => {
          const s = `${first ? '' : ','}\n${JSON.stringify({ id: i.id, handle: i.handle, name: i.name, status: i.status, viewerReceives: i.viewerReceives, slots: i.slots, findings: i.findings.map(findingJson) })}`
          first = false
          return s
        },
        end: (t) => `\n],"summary":${JSON.stringify(t)}}\n`,
      }
    case 'junit':
      return junitWriter(options)
    case 'sarif':
      return sarifWriter(options)
    case 'github':
      return {
        begin: () => '',
        item: (i) =>
          i.findings
            .map(
              (f) =>
                `::${f.severity === 'error' ? 'error' : 'warning'} title=${ghProp(`${f.code} ${influencerLabel(i)}`)}::${ghEscape(`${influencerLabel(i)}${f.field ? ` ${f.field}` : ''}: ${f.message}`)}\n`,
            )
            .join(''),
        end: (t) => `${t.influencers} influencer(s) audited: ${t.error} error(s), ${t.warning} warning(s).\n`,
      }
  }
}
