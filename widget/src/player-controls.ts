/**
 * The control bar of `<live-stream-viewer>`: native buttons and a range input, labelled from the
 * message catalogue, each with its own `::part`.
 */
import { html, nothing } from 'lit'
import type { TemplateResult } from 'lit'
import type { LocaleController } from './locale-controller.js'
import type { PlayerController } from './player-controller.js'

/** 24×24 outline icons (stroked with the text color). */
export const ICONS = {
  play: 'M7 4l13 8-13 8z',
  pause: 'M8 5v14M16 5v14',
  sound: 'M4 9h4l5-4v14l-5-4H4zM17 9a4 4 0 0 1 0 6M20 6a8 8 0 0 1 0 12',
  muted: 'M4 9h4l5-4v14l-5-4H4zM17 9l5 6M22 9l-5 6',
  pip: 'M3 5h18v14H3zM12 12h7v5h-7z',
  fullscreen: 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5',
  exitFullscreen: 'M9 4v5H4M20 9h-5V4M15 20v-5h5M4 15h5v5',
}

/** An inline 24×24 icon, hidden from assistive technology (its button has the name). */
export function icon(path: string): TemplateResult {
  return html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${path}></path></svg>`
}

/** The control bar for a playing stream. */
export function renderControls(player: PlayerController, { t }: LocaleController): TemplateResult {
  const { hls, muted } = player
  return html`<div part="controls" class="controls">
    ${
      hls
        ? html`<button part="play-button" aria-label=${t(player.paused ? 'play' : 'pause')} @click=${() => player.togglePlay()}>${icon(player.paused ? ICONS.play : ICONS.pause)}</button>`
        : nothing
    }
    ${
      player.canSetVolume
        ? html`<button part="mute-button" aria-label=${t(muted ? 'unmute' : 'mute')} @click=${() => player.setMuted(!muted)}>${icon(muted ? ICONS.muted : ICONS.sound)}</button>
          <input part="volume" type="range" min="0" max="1" step="0.05" aria-label=${t('volume')} .value=${String(muted ? 0 : player.volume)} @input=${(e: Event) => player.setVolume(Number((e.target as HTMLInputElement).value))}>`
        : nothing
    }
    <span part="live-indicator" class="live">${t('live')}</span>
    ${
      player.canPip
        ? html`<button part="pip-button" aria-label=${t(player.pip ? 'exit_pip' : 'pip')} @click=${() => player.togglePip()}>${icon(ICONS.pip)}</button>`
        : nothing
    }
    ${
      player.canFullscreen
        ? html`<button part="fullscreen-button" aria-label=${t(player.fullscreen ? 'exit_fullscreen' : 'fullscreen')} @click=${() => player.toggleFullscreen()}>${icon(player.fullscreen ? ICONS.exitFullscreen : ICONS.fullscreen)}</button>`
        : nothing
    }
  </div>`
}
