import { describe, expect, it } from 'vitest'
import { mintToken } from '../../test-support/tokens.js'
import { inspectRoomCode } from './inspect-room-code.js'

describe('inspectRoomCode', () => {
  it.each(['wpi-srjb-wer', 'dfj-ewbe-oqw', 'eiu-qwq-sdf', '  abc-perj-xno  '])('accepts the room code %j', (code) => {
    expect(inspectRoomCode(code, 'viewerRoomCode')).toEqual([])
  })

  it.each([
    ['uppercase letters', 'ABC-DEFG-HIJ'],
    ['digits', 'ab1-defg-hij'],
    ['a five-letter middle', 'abc-defgh-hij'],
    ['no dashes', 'abcdefghij'],
    ['a trailing dash', 'abc-defg-hij-'],
    ['an empty value', ''],
    ['a room link', 'https://x.app.100ms.live/meeting/abc-defg-hij'],
  ])('reports room_code.malformed for %s', (_name, code) => {
    const findings = inspectRoomCode(code, 'viewerRoomCode')
    expect(findings).toEqual([
      {
        code: 'room_code.malformed',
        severity: 'error',
        field: 'viewerRoomCode',
        message: expect.stringMatching(/abc-defg-hij/),
      },
    ])
  })

  it.each([
    ['a JWT', async () => mintToken()],
    ['an HMS_ token', async () => 'HMS_0123456789abcdef'],
  ])('says clearly that %s belongs in a token slot', async (_name, make) => {
    const token = await make()
    const [finding] = inspectRoomCode(token, 'broadcasterRoomCode')
    expect(finding).toMatchObject({ code: 'room_code.malformed', severity: 'error', field: 'broadcasterRoomCode' })
    expect(finding!.message).toMatch(/looks like an auth token/)
    expect(finding!.message).not.toContain(token)
  })
})
