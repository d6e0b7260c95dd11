import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as core from './index.js'

describe('the public entry', () => {
  it.each([
    'CREDENTIAL_FIELDS',
    'CREDENTIAL_COLUMNS',
    'FindingCode',
    'parseCredentials',
    'emptyCredentials',
    'CredentialsInput',
    'DEFAULT_EXPIRING_WITHIN_MS',
    'parseDuration',
    'inspectToken',
    'inspectRoomCode',
    'evaluateInfluencer',
    'findSharedSecrets',
    'TRIMMED_CHARACTERS',
    'trimSecret',
    'maskSecret',
    'redactSecrets',
    'containsSecret',
    'fingerprintSecret',
    'ACCESS_STATUS_BADGES',
    'API_ERROR_MESSAGES',
    'VIEWER_ERROR_MESSAGES',
  ])('exports %s', (name) => {
    expect(core).toHaveProperty(name)
  })
})

describe('one evaluation', () => {
  it.each(['inspectCredentials', 'resolveViewerCredentials', 'accessStatus', 'sharedSecretFinding'])(
    'offers no second path to a status or resolution (%s)',
    (name) => {
      expect(core).not.toHaveProperty(name)
    },
  )
})

describe('isomorphism', () => {
  const sources = readdirSync(new URL('.', import.meta.url)).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
  )

  it.each(sources)('keeps %s free of Node and DOM APIs', (file) => {
    const code = readFileSync(new URL(file, import.meta.url), 'utf8').replace(/\/\*\*[\s\S]*?\*\/|\/\/.*$/gm, '')
    expect(code).not.toMatch(/from 'node:|require\(|\bBuffer\b|\bprocess\.|\bwindow\b|\bdocument\b/)
  })
})
