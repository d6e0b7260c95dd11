import { Validator } from '@seriousme/openapi-schema-validator'
import { API_ERROR_STATUS, ApiErrorCodeSchema } from '@hms-admin/core'
import { describe, expect, it } from 'vitest'
import { openApiDocument } from './openapi-document.js'

describe('openApiDocument', () => {
  const doc = openApiDocument() as {
    openapi: string
    paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>
    components: { schemas: Record<string, unknown> }
  }

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(doc))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(doc.openapi).toBe('3.1.0')
  })

  it('documents every route of the endpoint', () => {
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/',
      '/api/live-streams',
      '/api/live-streams/{sessionId}/viewer',
      '/healthz',
      '/metrics',
      '/openapi.json',
      '/watch',
      '/widget/chunks/{chunk}',
      '/widget/{file}',
    ])
  })

  it('names every error code, with the status it is answered with', () => {
    const text = JSON.stringify(doc)
    for (const code of ApiErrorCodeSchema.options) {
      const id = `${code.replace(/(^|_)([a-z])/g, (_m, _s, letter: string) => letter.toUpperCase())}Error`
      expect(doc.components.schemas[id], code).toMatchObject({
        properties: { error: { properties: { code: { const: code } } } },
      })
      expect(text).toContain(`"$ref":"#/components/schemas/${id}"`)
    }
    const viewer = doc.paths['/api/live-streams/{sessionId}/viewer']?.get?.responses ?? {}
    expect(Object.keys(viewer).sort()).toEqual(['200', '400', '403', '404', '409', '429', '503'])
    expect(new Set(Object.values(API_ERROR_STATUS))).toEqual(new Set([400, 403, 404, 405, 409, 429, 503]))
  })

  it('generates the answer schemas from the zod schemas', () => {
    expect(doc.components.schemas.ViewerCredentials).toMatchObject({
      type: 'object',
      required: ['session', 'access', 'credentials'],
      properties: { session: { $ref: '#/components/schemas/LiveStreamSummary' } },
      additionalProperties: false,
    })
  })
})
