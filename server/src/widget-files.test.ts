import { describe, expect, it } from 'vitest'
import { safeRelativePath } from './widget-files.js'

describe('widget file paths', () => {
  it('accepts plain relative paths', () => {
    expect(safeRelativePath('live-stream-viewer.js')).toBe('live-stream-viewer.js')
    expect(safeRelativePath('chunks/dist-abc.js')).toMatch(/^chunks.dist-abc\.js$/)
  })

  it.each([
    '',
    '..',
    '../x',
    'a/../../x',
    '%2e%2e/x',
    '..%2fx',
    '.env',
    'a//b',
    'a\\b',
    '%00',
    'x%00.js',
    '%',
    '%E0%A4%A',
    'C:x',
    'a/',
  ])('refuses %j', (path) => {
    expect(safeRelativePath(path)).toBeNull()
  })
})
