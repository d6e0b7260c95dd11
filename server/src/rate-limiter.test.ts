import { describe, expect, it } from 'vitest'
import { clientKey, createRateLimiter } from './rate-limiter.js'

describe('the rate limiter', () => {
  it('allows N requests a minute per key, then answers the seconds to wait', () => {
    const limiter = createRateLimiter(3)
    const t = 1_000_000
    expect([limiter.take('a', t), limiter.take('a', t), limiter.take('a', t)]).toEqual([0, 0, 0])
    expect(limiter.take('a', t)).toBe(20)
    expect(limiter.take('b', t)).toBe(0)
    expect(limiter.take('a', t + 20_000)).toBe(0)
    limiter.stop()
  })

  it('allows everything when the limit is 0', () => {
    const limiter = createRateLimiter(0)
    for (let i = 0; i < 1000; i += 1) expect(limiter.take('a')).toBe(0)
    limiter.stop()
  })

  it('forgets idle clients when sweeping', () => {
    const limiter = createRateLimiter(10)
    limiter.take('a', 0)
    limiter.sweep(61_000)
    expect(limiter.size).toBe(0)
    limiter.stop()
  })

  it('keys IPv4 by address and IPv6 by its /64', () => {
    expect(clientKey('127.0.0.1')).toBe('127.0.0.1')
    expect(clientKey('::ffff:10.0.0.1')).toBe('10.0.0.1')
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2')
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0')
    expect(clientKey('::1')).toBe('0:0:0:0')
    expect(clientKey(undefined)).toBe('unknown')
  })
})
