import type { Finding } from '@hms-admin/core'
import type { AuditWriter } from './audit-formats.js'
import { influencerLabel } from './influencer-label.js'
import { xmlText } from './xml-text.js'

/** The JUnit writer: one test case per influencer and rule, failing on findings at or above --fail-on. */
export function junitWriter(options: { rules: readonly string[]; atOrAbove: (f: Finding) => boolean }): AuditWriter {
  return {
    begin: () =>
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hms-admin audit">\n<testsuite name="credentials">\n',
    item: (i) => {
      const classname = xmlText(influencerLabel(i))
      return options.rules
        .map((rule) => {
          const failing = i.findings.filter((f) => f.code === rule && options.atOrAbove(f))
          const body = failing
            .map(
              (f) =>
                `<failure type="${xmlText(f.code)}" message="${xmlText(f.message)}">${xmlText(`${f.severity}${f.field ? ` [${f.field}]` : ''}: ${f.message}`)}</failure>`,
            )
            .join('')
          return `<testcase classname="${classname}" name="${xmlText(rule)}">${body}</testcase>\n`
        })
        .join('')
    },
    end: () => '</testsuite>\n</testsuites>\n',
  }
}
