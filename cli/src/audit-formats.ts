import type { Finding } from '@hms-admin/core'
import type { ChalkInstance } from 'chalk'
import { findingJson, findingLine, type ViewerReceives } from './report-view.js'

/** One audited influencer. */
export interface AuditItem {
  id: string
  handle: string
  name: string
  status: string
  viewerReceives: ViewerReceives
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

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const ghEscape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const ghProp = (s: string) => ghEscape(s).replace(/:/g, '%3A').replace(/,/g, '%2C')

/** Creates the writer of a format; `atOrAbove` says whether a finding reaches --fail-on. */
export function auditWriter(
  format: AuditFormat,
  options: { rules: readonly string[]; atOrAbove: (f: Finding) => boolean; colour: ChalkInstance; version: string },
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
            : `${c.bold(`@${i.handle}`)} ${i.name} (${i.id})\n${i.findings.map((f) => `${findingLine(f, c)}\n`).join('')}`,
        end: (t) =>
          `${t.influencers} influencer(s) audited: ${t.error} error(s), ${t.warning} warning(s); ${t.failing} influencer(s) at or above the threshold.\n`,
      }
    case 'json':
      return {
        begin: () => '{"influencers":[',
        item: (i) => {
          const s = `${first ? '' : ','}\n${JSON.stringify({ id: i.id, handle: i.handle, name: i.name, status: i.status, viewerReceives: i.viewerReceives, findings: i.findings.map(findingJson) })}`
          first = false
          return s
        },
        end: (t) => `\n],"summary":${JSON.stringify(t)}}\n`,
      }
    case 'junit':
      return {
        begin: () =>
          '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hms-admin audit">\n<testsuite name="credentials">\n',
        item: (i) =>
          options.rules
            .map((rule) => {
              const hits = i.findings.filter((f) => f.code === rule)
              const failing = hits.filter(options.atOrAbove)
              const body = failing
                .map(
                  (f) =>
                    `<failure type="${xml(f.code)}" message="${xml(f.message)}">${xml(`${f.severity}${f.field ? ` [${f.field}]` : ''}: ${f.message}`)}</failure>`,
                )
                .join('')
              return `<testcase classname="${xml(`@${i.handle}`)}" name="${xml(rule)}">${body}</testcase>\n`
            })
            .join(''),
        end: () => '</testsuite>\n</testsuites>\n',
      }
    case 'sarif':
      return {
        begin: () =>
          `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"hms-admin","version":${JSON.stringify(options.version)},"rules":${JSON.stringify(options.rules.map((r) => ({ id: r, shortDescription: { text: r } })))}}},"results":[`,
        item: (i) =>
          i.findings
            .map((f) => {
              const s = `${first ? '' : ','}\n${JSON.stringify({
                ruleId: f.code,
                level: f.severity === 'error' ? 'error' : 'warning',
                message: { text: `@${i.handle}${f.field ? ` ${f.field}` : ''}: ${f.message}` },
                locations: [
                  {
                    logicalLocations: [
                      {
                        name: f.field ?? i.handle,
                        fullyQualifiedName: `influencers/${i.handle}${f.field ? `/${f.field}` : ''}`,
                        kind: 'object',
                      },
                    ],
                  },
                ],
                properties: { influencerId: i.id },
              })}`
              first = false
              return s
            })
            .join(''),
        end: () => '\n]}]}\n',
      }
    case 'github':
      return {
        begin: () => '',
        item: (i) =>
          i.findings
            .map(
              (f) =>
                `::${f.severity === 'error' ? 'error' : 'warning'} title=${ghProp(`${f.code} @${i.handle}`)}::${ghEscape(`@${i.handle}${f.field ? ` ${f.field}` : ''}: ${f.message}`)}\n`,
            )
            .join(''),
        end: (t) => `${t.influencers} influencer(s) audited: ${t.error} error(s), ${t.warning} warning(s).\n`,
      }
  }
}
