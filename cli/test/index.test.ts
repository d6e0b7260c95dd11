import { describe, expect, it } from 'vitest'
import * as cli from '../src/index.js'

describe('the public entry of @hms-admin/cli', () => {
  // db and serve both re-export it; were they two bindings under `export *`, ES modules would drop the name.
  it('exports the change channel once, with its value', () => {
    expect(cli.CHANGES_CHANNEL).toBe('hms_admin_changes')
  })

  it.each([
    'runCli',
    'defaultDeps',
    'CliError',
    'openDatabase',
    'updateCredentials',
    'createRequestHandler',
    'createDatabaseStore',
  ])('exports %s', (name) => {
    expect(typeof (cli as Record<string, unknown>)[name]).toBe('function')
  })
})
