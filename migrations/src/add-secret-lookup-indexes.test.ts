import { TRIMMED_CHARACTERS } from '@hms-admin/core'
import { describe, expect, it } from 'vitest'
import { INDEXED_TRIM_CHARACTERS } from './add-secret-lookup-indexes.js'

describe('the secret lookup indexes', () => {
  it("are built on the characters core's queries trim (else Postgres would never use them)", () => {
    expect(INDEXED_TRIM_CHARACTERS).toBe(TRIMMED_CHARACTERS)
  })
})
