/**
 * HLS playback for viewers whose role receives no WebRTC media. hls.js is imported lazily by the
 * viewer (`import('./hls-playback.js')`) once its credentials arrive, while the SDK joins: never
 * before play is possible, and never on a page without a viewer.
 */
// The light build (no subtitles, alternate audio or DRM) is all a live viewer needs; its typings
// are declared next to this file, referenced so that programs importing the widget see them too.
/// <reference path="./hls-light.d.ts" />
import Hls from 'hls.js/light'

/** A running HLS playback; `destroy()` stops it and frees the element. */
export interface HlsPlayback {
  destroy(): void
}

/**
 * Plays `url` in `video`, with hls.js where Media Source Extensions exist and natively otherwise
 * (Safari on iOS). `onFatal` is called once when playback cannot continue.
 */
export function startHlsPlayback(
  video: HTMLVideoElement,
  url: string,
  onFatal: (message: string) => void,
): HlsPlayback {
  if (Hls.isSupported()) {
    // No worker: this ES module build has no worker bundle to inject (hls.js would look for one), and
    // starting one costs more than demuxing a live segment. The first fragment is fetched as soon
    // as the playlist is parsed, while the MediaSource opens (about 90 ms sooner to the first frame).
    const hls = new Hls({ enableWorker: false, startFragPrefetch: true, lowLatencyMode: true, backBufferLength: 10 })
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) onFatal(String(data.details))
    })
    hls.loadSource(url)
    hls.attachMedia(video)
    return { destroy: () => hls.destroy() }
  }
  if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = url
    return {
      destroy: () => {
        video.removeAttribute('src')
        video.load()
      },
    }
  }
  onFatal('HLS is not supported by this browser')
  return { destroy: () => undefined }
}
