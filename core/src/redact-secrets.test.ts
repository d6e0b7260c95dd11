import { describe, expect, it } from 'vitest'
import { mintToken } from '../../test-support/tokens.js'
import { containsSecret, redactSecrets } from './redact-secrets.js'

describe('redactSecrets', () => {
  it('masks a JWT, an HMS_ token, a room code and a long secret inside a message', async () => {
    const jwt = await mintToken()
    const hms = `HMS_${'k'.repeat(40)}`
    const appSecret = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5'
    const text = redactSecrets(`"${jwt}" and ${hms}, abc-defg-hij; ${appSecret}.`)
    for (const secret of [jwt, hms, 'abc-defg-hij', appSecret]) expect(text).not.toContain(secret.slice(0, 12))
    expect(text).toMatch(/^"eyJhbG…\S{4}" and HMS_kk…\S+, ab…j; \S+…\S+\.$/)
  })

  it('masks the first part of a JWT cut at a dot', () => {
    expect(redactSecrets('unknown option --eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9')).not.toContain('GciOiJIUzI1')
  })

  it('leaves a masked value alone, so that masking twice changes nothing', async () => {
    const once = redactSecrets(`"${await mintToken()}" and HMS_${'k'.repeat(40)}`)
    expect(redactSecrets(once)).toBe(once)
  })

  it('leaves ordinary words, handles, UUIDs and paths alone', () => {
    const text = 'No influencer matches "alice-b" (id 0f8fad5b-d9cb-469f-a165-70867728950e) in ./out/audit.sarif.'
    expect(redactSecrets(text)).toBe(text)
    expect(containsSecret(text)).toBe(false)
  })

  it('leaves environment variable names, migration names and file paths alone', () => {
    const text =
      'HMS_ADMIN_SCHEMA and HMS_SECRET: 2026_11_28_060000_create_influencer_tables failed in /home/someone/projects/shop/.hms-admin/pgdata.'
    expect(redactSecrets(text)).toBe(text)
  })

  it('masks a token pasted as a directory name inside a path', async () => {
    const jwt = await mintToken()
    const text = redactSecrets(`Cannot write to /tmp/out/${jwt}/audit.sarif.`)
    expect(text).not.toContain(jwt.slice(0, 16))
    expect(text).toMatch(/^Cannot write to \/tmp\/out\/eyJhbG…\S{4}\/audit\.sarif\.$/)
  })

  it('masks a whole token followed by an ellipsis, and leaves a mask alone', async () => {
    const jwt = await mintToken()
    expect(redactSecrets(`x ${jwt}… y`)).not.toContain(jwt.slice(0, 16))
    expect(containsSecret(`${jwt}…`)).toBe(true)
  })

  it('leaves the names of its own variables alone before "=value" or a full stop, and checks the value', async () => {
    const text = 'Set HMS_ALLOW_BROADCASTER_FALLBACK=1, or set HMS_SECRET.'
    expect(redactSecrets(text)).toBe(text)
    const jwt = await mintToken()
    expect(redactSecrets(`HMS_SECRET=${jwt}`)).not.toContain(jwt.slice(0, 16))
    expect(redactSecrets(`HMS_SECRET=${jwt}`)).toMatch(/^HMS_SECRET=/)
    expect(containsSecret('HMS_ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe(true)
  })

  it('still masks an HMS_ token with lowercase or digits, and a base64 secret with "/" in it', () => {
    const text = redactSecrets('HMS_k9Xq2LmvBn4TzR and /Zm9v/YmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0+Z2Fy=')
    expect(text).not.toContain('HMS_k9Xq2Lmv')
    expect(text).not.toContain('YmFyYmF6cXV4')
  })

  it('says whether a value contains something that could be a secret', async () => {
    expect(containsSecret(`Alice ${await mintToken()}`)).toBe(true)
    expect(containsSecret('HMS_abc')).toBe(true)
    expect(containsSecret('xyz-abcd-efg')).toBe(true)
    expect(containsSecret('Alice Example')).toBe(false)
  })
})
