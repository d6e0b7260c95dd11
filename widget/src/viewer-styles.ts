/**
 * The shadow styles of `<live-stream-viewer>`; every color and size comes from a CSS custom
 * property so pages can theme it.
 */
import { css } from 'lit'

/** Styles of `<live-stream-viewer>`. */
export const viewerStyles = css`
  :host {
    display: block;
    font-family: var(--live-stream-font, system-ui, sans-serif);
    color: var(--live-stream-color, #1a1a1a);
    background: var(--live-stream-background, #ffffff);
    border-radius: var(--live-stream-radius, 8px);
    padding: 12px;
  }
  [hidden] { display: none !important; }
  h2 { font-size: 1.15em; margin: 0 0 4px; }
  p { margin: 4px 0; }
  .stage { background: var(--live-stream-stage-background, #000000); border-radius: var(--live-stream-radius, 8px); overflow: hidden; }
  video { display: block; width: 100%; aspect-ratio: 16 / 9; }
  .status.error { color: var(--live-stream-error, #b3261e); font-weight: 600; }
  button {
    font: inherit; cursor: pointer; border: 0; padding: 8px 16px; margin: 4px 8px 4px 0;
    border-radius: var(--live-stream-radius, 8px);
    background: var(--live-stream-accent, #0b57d0); color: var(--live-stream-accent-text, #ffffff);
  }
  button:focus-visible { outline: 3px solid currentColor; outline-offset: 2px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0 0; font-size: 0.9em; }
  dt { font-weight: 600; }
  dd { margin: 0; }
`
