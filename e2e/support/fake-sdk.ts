/**
 * The fake 100ms SDK adapter used by the browser tests. It replaces ONLY the 100ms network (the
 * SDK's join, room and media): everything else, the element, the bundle and the hms-admin
 * endpoint, is real. Injected into the page as a classic script; `window.fakeSdk` controls it.
 */
export const FAKE_SDK_SCRIPT = `
(() => {
  const fakeSdk = {
    calls: [],
    /** Records a call, also in sessionStorage ('fakeSdkCalls'), which outlives the page. */
    record(call) {
      fakeSdk.calls.push(call)
      // A third-party iframe may have no storage: the page's own record is enough there.
      try { sessionStorage.setItem('fakeSdkCalls', JSON.stringify(fakeSdk.calls)) } catch {}
    },
    /** Per join: null resolves; an object rejects with it. Consumed in order, then joinDefault. */
    joinResults: [],
    joinDefault: null,
    /** getAuthTokenByRoomCode's answer (a string) or rejection (an object). */
    roomCodeResult: 'token-from-room-code',
    receivesWebrtcMedia: true,
    adapters: [],
    create() {
      const listeners = new Set()
      let snapshot = { roomState: 'disconnected', videoTrackId: null, hlsUrl: null, receivesWebrtcMedia: null }
      const emit = (event) => { for (const listener of listeners) listener(event) }
      const update = (patch) => { snapshot = { ...snapshot, ...patch }; emit({ type: 'snapshot', snapshot }) }
      const adapter = {
        async join({ userName, authToken }) {
          fakeSdk.record('join:' + (authToken === fakeSdk.roomCodeResult ? 'room-code-token' : 'token'))
          update({ roomState: 'connecting' })
          await new Promise((r) => setTimeout(r, 20))
          const result = fakeSdk.joinResults.length ? fakeSdk.joinResults.shift() : fakeSdk.joinDefault
          if (result === 'hang') return new Promise(() => {})
          if (result) throw result
          update({ roomState: 'connected', receivesWebrtcMedia: fakeSdk.receivesWebrtcMedia })
        },
        async leave() {
          fakeSdk.record('leave')
          snapshot = { roomState: 'disconnected', videoTrackId: null, hlsUrl: null, receivesWebrtcMedia: null }
        },
        async getAuthTokenByRoomCode() {
          fakeSdk.record('getAuthTokenByRoomCode')
          if (typeof fakeSdk.roomCodeResult !== 'string') throw fakeSdk.roomCodeResult
          return fakeSdk.roomCodeResult
        },
        async attachVideo(trackId, video) {
          fakeSdk.record('attachVideo:' + trackId)
          const canvas = document.createElement('canvas')
          canvas.width = 64; canvas.height = 36
          const ctx = canvas.getContext('2d')
          ctx.fillStyle = '#3a7'; ctx.fillRect(0, 0, 64, 36)
          video.srcObject = canvas.captureStream(5)
        },
        async detachVideo(trackId, video) {
          fakeSdk.record('detachVideo:' + trackId)
          video.srcObject = null
        },
        async unblockAudio() { fakeSdk.record('unblockAudio') },
        async setVolume(volume) { fakeSdk.record('setVolume:' + volume) },
        subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener) },
        // Test controls
        goLive(trackId = 'track-1') { update({ videoTrackId: trackId }) },
        setRoomState(roomState) { update({ roomState }) },
        setHlsUrl(hlsUrl) { update({ hlsUrl }) },
        emit,
      }
      fakeSdk.adapters.push(adapter)
      return adapter
    },
    get last() { return fakeSdk.adapters[fakeSdk.adapters.length - 1] },
  }
  window.fakeSdk = fakeSdk
})()
`
