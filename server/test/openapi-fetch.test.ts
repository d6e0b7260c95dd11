import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkAnswer } from '../../test-support/openapi-fetch.js'

// The checker every server test's fetch goes through must reject answers that break the document.

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' }
const viewerUrl = `http://127.0.0.1/api/live-streams/${randomUUID()}/viewer`
const summary = {
  sessionId: randomUUID(),
  title: 'Launch',
  status: 'live',
  startedAt: new Date().toISOString(),
  influencer: { id: '42', name: 'Ada', handle: 'ada' },
  access: 'ready',
}

function check(method: string, url: string, status: number, headers: Record<string, string>, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body)
  checkAnswer(method, url, new Response(status === 304 ? null : text, { status, headers }), text)
}

describe('checkAnswer', () => {
  it('accepts answers that match the document', () => {
    const credentials = { session: summary, access: 'ready', credentials: { authToken: 'eyJ.x.y', source: 'viewer' } }
    expect(() => check('GET', viewerUrl, 200, { ...JSON_TYPE, 'cache-control': 'no-store' }, credentials)).not.toThrow()
    const limited = { error: { code: 'rate_limited', message: 'Too many.' } }
    expect(() => check('GET', viewerUrl, 429, { ...JSON_TYPE, 'retry-after': '3' }, limited)).not.toThrow()
    const notFound = { error: { code: 'not_found', message: 'Not found.' } }
    expect(() => check('GET', 'http://127.0.0.1/nope', 404, JSON_TYPE, notFound)).not.toThrow()
    expect(() => check('HEAD', 'http://127.0.0.1/healthz', 200, JSON_TYPE, undefined)).not.toThrow()
  })

  it.each([
    ['a body missing a required field', 'GET', viewerUrl, 200, { 'cache-control': 'no-store' }, { session: summary }],
    [
      'an extra field',
      'GET',
      'http://127.0.0.1/api/live-streams',
      200,
      {},
      { streams: [{ ...summary, authToken: 'eyJ.x.y' }] },
    ],
    ['a missing required header', 'GET', viewerUrl, 429, {}, { error: { code: 'rate_limited', message: 'x' } }],
    ['a code of another status', 'GET', viewerUrl, 404, {}, { error: { code: 'stream_not_live', message: 'x' } }],
    [
      'an undocumented status',
      'GET',
      'http://127.0.0.1/healthz',
      404,
      {},
      { error: { code: 'not_found', message: 'x' } },
    ],
    ['an undocumented path answering 200', 'GET', 'http://127.0.0.1/secret', 200, {}, { ok: true }],
    ['an undocumented method answering 200', 'POST', 'http://127.0.0.1/healthz', 200, {}, { ok: true }],
    ['a header value outside its schema', 'GET', viewerUrl, 200, { 'cache-control': 'max-age=60' }, undefined],
  ])('rejects %s', (_name, method, url, status, headers, body) => {
    expect(() => check(method, url, status, { ...JSON_TYPE, ...headers }, body)).toThrow(/does not match|documented/)
  })

  it('rejects a content type the document does not list', () => {
    expect(() => check('GET', 'http://127.0.0.1/healthz', 200, { 'content-type': 'text/html' }, { ok: true })).toThrow(
      /content type/,
    )
  })
})
