/**
 * The events of `<live-stream-viewer>`, typed for `addEventListener` on any element.
 */
import type { LiveStreamErrorDetail, LiveStreamStateDetail } from './viewer-state.js'

/** The viewer's events by name. */
export interface LiveStreamEventMap {
  'live-stream-state': CustomEvent<LiveStreamStateDetail>
  'live-stream-error': CustomEvent<LiveStreamErrorDetail>
}

/** Dispatches one of the viewer's events from `target`, bubbling and composed. */
export function fire<K extends keyof LiveStreamEventMap>(
  target: EventTarget,
  type: K,
  detail: LiveStreamEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }))
}

declare global {
  interface HTMLElementEventMap extends LiveStreamEventMap {}
}
