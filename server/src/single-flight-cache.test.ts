import { describe, expect, it } from 'vitest'
import { createSingleFlightCache } from './single-flight-cache.js'

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('the single-flight cache', () => {
  it('shares one load among concurrent callers and caches the result', async () => {
    const cache = createSingleFlightCache<string>()
    let loads = 0
    const gate = deferred<void>()
    const load = async () => {
      loads += 1
      await gate.promise
      return { value: 'v', expiresAt: Date.now() + 60_000, tag: 't' }
    }
    const all = Promise.all(Array.from({ length: 100 }, () => cache.load('k', load)))
    gate.resolve()
    expect(new Set(await all)).toEqual(new Set(['v']))
    expect(loads).toBe(1)
    expect(cache.peek('k')).toBe('v')
  })

  it('does not keep a result whose key was invalidated while loading', async () => {
    const cache = createSingleFlightCache<string>()
    const gate = deferred<void>()
    const pending = cache.load('k', async () => {
      await gate.promise
      return { value: 'stale', expiresAt: Date.now() + 60_000, tag: null }
    })
    cache.invalidate('k')
    gate.resolve()
    expect(await pending).toBe('stale')
    expect(cache.peek('k')).toBeUndefined()
  })

  it('expires entries, invalidates by tag and caches nothing while disabled', async () => {
    const cache = createSingleFlightCache<string>()
    await cache.load('a', async () => ({ value: 'a', expiresAt: 10, tag: null }))
    expect(cache.peek('a', 11)).toBeUndefined()
    await cache.load('b', async () => ({ value: 'b', expiresAt: Date.now() + 60_000, tag: 'influencer' }))
    cache.invalidateTag('influencer')
    expect(cache.peek('b')).toBeUndefined()
    cache.setEnabled(false)
    await cache.load('c', async () => ({ value: 'c', expiresAt: Date.now() + 60_000, tag: null }))
    cache.setEnabled(true)
    expect(cache.peek('c')).toBeUndefined()
  })

  it('shares a failure without caching it', async () => {
    const cache = createSingleFlightCache<string>()
    await expect(cache.load('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    expect(await cache.load('k', async () => ({ value: 'up', expiresAt: Date.now() + 1000, tag: null }))).toBe('up')
  })
})
