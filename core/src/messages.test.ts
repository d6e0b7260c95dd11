import { describe, expect, it } from 'vitest'
import { ACCESS_STATUS_BADGES, API_ERROR_MESSAGES, VIEWER_ERROR_MESSAGES } from './messages.js'

describe('messages', () => {
  it('gives each access status the seed badge', () => {
    expect(Object.values(ACCESS_STATUS_BADGES).map(({ emoji, label }) => `${emoji} ${label}`)).toEqual([
      '✅ Ready',
      '⚠️ Limited',
      '❌ Not configured',
    ])
  })

  it.each(Object.entries({ ...API_ERROR_MESSAGES, ...VIEWER_ERROR_MESSAGES }))(
    'has one sentence for %s',
    (_code, message) => {
      expect(message).toMatch(/^[A-Z][^.]*\.$/)
    },
  )

  it.each([
    [API_ERROR_MESSAGES.stream_not_found, /not found/i],
    [API_ERROR_MESSAGES.viewer_access_not_configured, /viewer access is not configured/i],
    [API_ERROR_MESSAGES.viewer_token_invalid, /contact the host/i],
    [VIEWER_ERROR_MESSAGES.stream_not_found, /stream not found/i],
    [VIEWER_ERROR_MESSAGES.viewer_token_invalid, /contact the host/i],
    [VIEWER_ERROR_MESSAGES.connection_failed, /check your internet connection/i],
    [VIEWER_ERROR_MESSAGES.unsupported_browser, /browser/i],
  ])('keeps the seed wording in %j', (message, pattern) => {
    expect(message).toMatch(pattern)
  })

  it('has a viewer message for every API error code', () => {
    for (const code of Object.keys(API_ERROR_MESSAGES)) expect(VIEWER_ERROR_MESSAGES).toHaveProperty(code)
  })
})
