/**
 * What the viewer's `<video>` shows and the player controls do.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { HlsPlayback } from './hls-playback.js'
import type { RoomController } from './room-controller.js'

/** Controls hide after this long without pointer activity during playback. */
const IDLE_MS = 3_000

/** The `<video>` events after which the controls read its state again. */
const MEDIA_EVENTS = [
  'loadeddata',
  'emptied',
  'play',
  'pause',
  'volumechange',
  'enterpictureinpicture',
  'leavepictureinpicture',
]

/** The element a player controller works for. */
export type PlayerHost = ReactiveControllerHost & HTMLElement

/**
 * Shows the room's media in the `<video>`: attaches the on-air WebRTC track (re-attaching when
 * its id changes after an SFU migration) or plays the HLS stream (hls.js is loaded only then).
 * Holds the state of the controls (mute, volume, play/pause, fullscreen of the whole element,
 * picture-in-picture), the keyboard shortcuts (`f`, `m`, `k`/space while the element has focus)
 * and the pointer-idle timer that hides the controls during playback.
 */
export class PlayerController implements ReactiveController {
  /** The volume from 0 to 1. */
  volume = 1
  /** Whether the `<video>` is paused (HLS). */
  paused = false
  /** Whether the `<video>` has a frame to show. */
  hasFrame = false
  /** Whether the video is in picture-in-picture. */
  pip = false
  /** Whether the element is in fullscreen. */
  fullscreen = false
  /** Whether the pointer has been idle during playback (the controls hide). */
  idle = false
  /** Whether the viewer chose a sound setting (the "Tap to unmute" prompt then stays away). */
  touched = false

  #mutedWanted: boolean | null = null
  #trackId: string | null = null
  #hlsUrl: string | null = null
  #playback: HlsPlayback | null = null
  #attaching = Promise.resolve()
  #listening: HTMLVideoElement | null = null
  #idleTimer: ReturnType<typeof setTimeout> | undefined
  #wasPlaying = false

  readonly #host: PlayerHost
  readonly #room: RoomController
  readonly #video: () => HTMLVideoElement | null

  constructor(host: PlayerHost, room: RoomController, video: () => HTMLVideoElement | null) {
    this.#host = host
    this.#room = room
    this.#video = video
    host.addController(this)
  }

  /** Whether the viewer hears nothing (HLS starts muted so that autoplay is allowed). */
  get muted(): boolean {
    return (this.#mutedWanted ?? this.#room.hls) || (!this.#room.hls && this.#room.audioBlocked)
  }

  /** Whether to offer the "Tap to unmute" button. */
  get unmutePrompt(): boolean {
    return this.#room.hls ? this.muted && !this.touched : this.#room.audioBlocked
  }

  /** Whether the stream is watched through HLS (a `<video>` the controls drive directly). */
  get hls(): boolean {
    return this.#room.hls
  }

  /** Whether mute and volume can work: HLS, or an SDK adapter with `setVolume`. */
  get canSetVolume(): boolean {
    return this.#room.hls || typeof this.#room.adapter?.setVolume === 'function'
  }

  /** Whether picture-in-picture can be offered. */
  get canPip(): boolean {
    return document.pictureInPictureEnabled === true
  }

  /** Whether fullscreen is allowed (an iframe needs `allow="fullscreen"`). */
  get canFullscreen(): boolean {
    return document.fullscreenEnabled === true
  }

  hostConnected(): void {
    this.#host.addEventListener('keydown', this.#onKeyDown)
    document.addEventListener('fullscreenchange', this.sync)
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('keydown', this.#onKeyDown)
    document.removeEventListener('fullscreenchange', this.sync)
    clearTimeout(this.#idleTimer)
    this.#show(null, null)
  }

  hostUpdated(): void {
    const video = this.#video()
    if (video && video !== this.#listening) {
      this.#listening = video
      for (const type of MEDIA_EVENTS) video.addEventListener(type, this.sync)
    }
    const snapshot = this.#room.snapshot
    this.#show(
      this.#room.hls ? null : (snapshot?.videoTrackId ?? null),
      this.#room.hls ? (snapshot?.hlsUrl ?? null) : null,
    )
    const playing = this.#room.state === 'playing'
    if (playing && !this.#wasPlaying) this.wake()
    this.#wasPlaying = playing
  }

  /** Reads the media state back from the `<video>` and the document (bound to their events). */
  readonly sync = (event?: Event): void => {
    // From the video's own events: the document reports the outermost shadow host (wrong for a
    // viewer inside another component), and Safari's shadow roots have no pictureInPictureElement.
    if (event?.type.endsWith('pictureinpicture')) this.pip = event.type === 'enterpictureinpicture'
    const video = this.#video()
    if (!video) return
    this.paused = video.paused
    if (this.#room.hls) {
      // The browser's own UI (a picture-in-picture window) may change these too.
      this.#mutedWanted = video.muted
      this.volume = video.volume
    }
    this.hasFrame = video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA
    this.fullscreen = this.#host.matches(':fullscreen')
    this.#host.requestUpdate()
  }

  /** Mutes or unmutes; unmuting also resumes audio that autoplay rules blocked. */
  setMuted(muted: boolean): void {
    this.touched = true
    this.#mutedWanted = muted
    const video = this.#video()
    if (this.#room.hls && video) {
      video.muted = muted
      video.volume = this.volume
      if (!muted) void video.play().catch(() => undefined)
    } else if (this.#room.adapter) {
      if (!muted && this.#room.audioBlocked) {
        this.#room.audioBlocked = false
        void this.#room.adapter.unblockAudio().catch(() => undefined)
      }
      void this.#room.adapter.setVolume?.(muted ? 0 : Math.round(this.volume * 100)).catch(() => undefined)
    }
    this.#host.requestUpdate()
  }

  /** Sets the volume (0 to 1); 0 mutes, anything else unmutes. */
  setVolume(volume: number): void {
    this.volume = Math.min(1, Math.max(0, volume))
    this.setMuted(this.volume === 0)
  }

  /** Plays or pauses the HLS stream. */
  togglePlay(): void {
    const video = this.#video()
    if (!this.#room.hls || !video) return
    if (video.paused) void video.play().catch(() => undefined)
    else video.pause()
  }

  /** Enters or leaves fullscreen of the whole element; a refusal changes nothing. */
  toggleFullscreen(): void {
    if (!this.canFullscreen) return
    // The live state, not this.fullscreen: fullscreenchange (which updates it) fires a frame after
    // the switch, and a second press in between must still leave.
    const request = this.#host.matches(':fullscreen') ? document.exitFullscreen() : this.#host.requestFullscreen()
    void request.catch(() => undefined)
  }

  /** Enters or leaves picture-in-picture; a refusal changes nothing. */
  togglePip(): void {
    const video = this.#video()
    if (!this.canPip || !video) return
    const request = this.pip ? document.exitPictureInPicture() : video.requestPictureInPicture()
    void request.catch(() => undefined)
  }

  /** Shows the controls and restarts the idle timer (bound to pointer activity on the stage). */
  readonly wake = (): void => {
    clearTimeout(this.#idleTimer)
    this.#idleTimer = setTimeout(() => this.#setIdle(true), IDLE_MS)
    this.#setIdle(false)
  }

  /** Hides the controls now (the pointer left the stage). */
  readonly rest = (): void => {
    clearTimeout(this.#idleTimer)
    this.#setIdle(true)
  }

  #setIdle(idle: boolean): void {
    if (idle === this.idle) return
    this.idle = idle
    this.#host.requestUpdate()
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    const target = event.composedPath()[0]
    const typing =
      target instanceof HTMLElement &&
      (target.isContentEditable ||
        /^(TEXTAREA|SELECT)$/.test(target.tagName) ||
        (target instanceof HTMLInputElement && target.type !== 'range'))
    if (typing || event.altKey || event.ctrlKey || event.metaKey || this.#room.state !== 'playing') return
    const native = target instanceof HTMLButtonElement || target instanceof HTMLInputElement
    const key = event.key.toLowerCase()
    if (key === 'f') this.toggleFullscreen()
    else if (key === 'm') this.setMuted(!this.muted)
    else if ((key === 'k' || (key === ' ' && !native)) && this.#room.hls) this.togglePlay()
    else return
    event.preventDefault()
    this.wake()
  }

  /** Shows `trackId` (WebRTC) or `hlsUrl` (HLS) in the `<video>`, or nothing. */
  #show(trackId: string | null, hlsUrl: string | null): void {
    const { adapter } = this.#room
    const video = this.#video()
    if (video && adapter && trackId !== this.#trackId) {
      const previous = this.#trackId
      // The SDK sets srcObject asynchronously: detach the old track before attaching the new one.
      this.#attaching = this.#attaching.then(async () => {
        if (previous) await adapter.detachVideo(previous, video).catch(() => undefined)
        if (trackId) await adapter.attachVideo(trackId, video).catch(() => undefined)
        else video.srcObject = null
      })
    }
    this.#trackId = trackId
    if (hlsUrl !== this.#hlsUrl) void this.#playHls(hlsUrl)
  }

  async #playHls(url: string | null): Promise<void> {
    this.#playback?.destroy()
    this.#playback = null
    this.#hlsUrl = url
    const video = this.#video()
    if (!url || !video) return
    video.muted = this.muted
    const { startHlsPlayback } = await import('./hls-playback.js')
    if (url !== this.#hlsUrl) return
    this.#playback = startHlsPlayback(video, url, () => {
      if (url === this.#hlsUrl) this.#room.mediaFailed()
    })
  }
}
