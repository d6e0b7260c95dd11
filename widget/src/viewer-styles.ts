/**
 * The shadow styles of `<live-stream-viewer>`; every color and size comes from a CSS custom
 * property so pages can theme it. Default colors follow the page's `color-scheme` (light-dark()).
 */
import { css } from 'lit'

/** Styles of `<live-stream-viewer>`. */
export const viewerStyles = css`
  :host {
    display: block; padding: 12px; border-radius: var(--live-stream-radius, 8px);
    font-family: var(--live-stream-font, system-ui, sans-serif);
    color: var(--live-stream-color, light-dark(#1a1a1a, #ececec));
    background: var(--live-stream-background, light-dark(#fff, #1c1c1e));
    --a: var(--live-stream-accent, light-dark(#0b57d0, #a8c7fa));
  }
  /* Every line has a fixed height, empty or not, so nothing moves when the answer arrives. */
  header { display: grid; grid: auto auto / 1fr auto; gap: 0 8px; align-items: center; margin-bottom: 8px; }
  h2, p, dd { margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  h2 { font-size: 1.15em; line-height: 1.3; height: 1.3em; }
  header p { line-height: 1.4; height: 1.4em; }
  .badge { grid-area: 1 / 2 / 3; }
  .stage {
    position: relative; overflow: hidden; aspect-ratio: var(--live-stream-aspect-ratio, 16 / 9);
    background: var(--live-stream-stage-background, #000); color: var(--live-stream-stage-color, #fff);
    border-radius: inherit;
  }
  video, .overlay { position: absolute; inset: 0; width: 100%; height: 100%; }
  .overlay {
    box-sizing: border-box; overflow: auto; padding: 12px; display: flex; flex-direction: column;
    align-items: center; justify-content: center; gap: 12px; text-align: center;
  }
  .overlay p { white-space: normal; align-self: stretch; }
  /* While playing, the status stays in place for screen readers but is not seen. */
  .playing p { opacity: 0; }
  .mark { flex: none; box-sizing: border-box; width: 36px; height: 36px; border-radius: 50%; visibility: hidden; }
  .error .mark { visibility: visible; display: grid; place-items: center; background: var(--live-stream-error, #b3261e); font: 700 22px sans-serif; }
  .spin { visibility: visible; border: 4px solid #fff4; border-top-color: currentColor; animation: s 1s linear infinite; }
  @keyframes s { to { transform: rotate(1turn); } }
  .prompt { position: absolute; top: 8px; left: 8px; display: flex; align-items: center; gap: 8px; }
  button { font: inherit; cursor: pointer; border: 0; border-radius: var(--live-stream-radius, 8px); min-width: 44px; min-height: 44px; color: inherit; background: none; }
  .overlay button, .prompt { padding: 8px 16px; background: var(--a); color: var(--live-stream-accent-text, light-dark(#fff, #062e6f)); }
  :focus-visible { outline: 3px solid var(--a); outline-offset: 2px; }
  .controls {
    position: absolute; inset: auto 0 0; display: flex; align-items: center; padding: 0 4px;
    background: linear-gradient(#0000, #000b); transition: opacity .2s;
  }
  .controls button { display: grid; place-items: center; padding: 0; }
  .controls :focus-visible { outline-color: currentColor; outline-offset: -3px; }
  svg { width: 24px; height: 24px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; }
  input { flex: 0 1 96px; min-width: 44px; height: 44px; margin: 0; accent-color: currentColor; }
  .live { margin: 0 auto 0 4px; font: 700 .8em sans-serif; white-space: nowrap; }
  .live::before { content: ''; display: inline-block; width: 8px; height: 8px; margin-right: 6px; border-radius: 50%; background: var(--live-stream-live-color, #e53935); }
  .idle { cursor: none; }
  .idle:not(:focus-visible, :has(:focus-visible)) .controls { opacity: 0; pointer-events: none; }
  dl { display: grid; grid: auto-flow / max-content 1fr; gap: 2px 12px; margin: 8px 0 0; font-size: .9em; }
  dt { font-weight: 600; }
  :host(:fullscreen) { display: flex; flex-direction: column; }
  :host(:fullscreen) .stage { flex: 1; aspect-ratio: auto; }
  :host(:fullscreen) dl { display: none; }
`
