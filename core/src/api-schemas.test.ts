import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  API_ERROR_SCHEMAS,
  API_SCHEMAS,
  ApiErrorCodeSchema,
  type LiveStreamSummary,
  LiveStreamsResponseSchema,
  type ViewerCredentialsResponse,
  ViewerCredentialsResponseSchema,
} from './api-schemas.js'

const summary = {
  sessionId: '0b6f2c1e-1111-4222-8333-444455556666',
  title: 'Launch',
  status: 'live',
  startedAt: '2026-12-01T10:00:00.000Z',
  influencer: { id: '42', name: 'Ada', handle: 'ada' },
  access: 'limited',
}

describe('the API schemas', () => {
  it('infer the types the endpoint and the widget use', () => {
    expectTypeOf<LiveStreamSummary['access']>().toEqualTypeOf<'ready' | 'limited' | 'not_configured'>()
    expectTypeOf<ViewerCredentialsResponse['credentials']['source']>().toEqualTypeOf<'viewer' | 'broadcaster'>()
  })

  it('accept the answers of the contract', () => {
    expect(LiveStreamsResponseSchema.safeParse({ streams: [summary] }).success).toBe(true)
    const viewer = { session: summary, access: 'limited', credentials: { roomCode: 'abc-defg-hij', source: 'viewer' } }
    expect(ViewerCredentialsResponseSchema.safeParse(viewer).success).toBe(true)
  })

  it.each([
    ['an extra field', { streams: [{ ...summary, authToken: 'eyJ.x.y' }] }],
    ['an unknown access status', { streams: [{ ...summary, access: 'open' }] }],
    ['a start time that is not ISO 8601', { streams: [{ ...summary, startedAt: 'yesterday' }] }],
    ['a session id that is not a uuid', { streams: [{ ...summary, sessionId: '42' }] }],
  ])('refuse a live-stream list with %s', (_name, body) => {
    expect(LiveStreamsResponseSchema.safeParse(body).success).toBe(false)
  })

  it('name one error schema per code, accepting only that code', () => {
    for (const code of ApiErrorCodeSchema.options) {
      const schema = API_ERROR_SCHEMAS[code]
      expect(API_SCHEMAS.get(schema)?.id).toMatch(/^[A-Z][A-Za-z]+Error$/)
      expect(schema.safeParse({ error: { code, message: 'x' } }).success).toBe(true)
      const other = code === 'not_found' ? 'bad_request' : 'not_found'
      expect(schema.safeParse({ error: { code: other, message: 'x' } }).success).toBe(false)
    }
  })
})
