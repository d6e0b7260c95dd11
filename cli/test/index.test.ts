import { describe, expect, it } from 'vitest'
import * as cli from '../src/index.js'

describe('the public entry of @hms-admin/cli', () => {
  it.each(['runCli', 'defaultDeps', 'CliError', 'scriptedPrompts', 'inquirerPrompts'])('exports %s', (name) => {
    expect(typeof (cli as Record<string, unknown>)[name]).toBe('function')
  })

  it('leaves the endpoint and the database to their own packages', () => {
    expect(Object.keys(cli)).not.toContain('createRequestHandler')
    expect(Object.keys(cli)).not.toContain('openDatabase')
  })
})
