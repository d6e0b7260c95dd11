const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; background: Canvas; color: CanvasText; }
  body { margin: 0 auto; max-width: 960px; padding: 1.5rem; line-height: 1.5; }
  header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
  header a { color: inherit; }
  .note { opacity: 0.75; font-size: 0.9rem; }
  live-stream-viewer { display: block; margin-top: 1rem; border: 1px solid rgb(127 127 127 / 40%); }
  /* The widgets' light defaults, re-themed through their custom properties for a dark page. */
  @media (prefers-color-scheme: dark) {
    live-stream-list, live-stream-viewer {
      --live-stream-color: #e3e3e3;
      --live-stream-background: #1f1f1f;
      --live-stream-accent: #a8c7fa;
      --live-stream-accent-text: #062e6f;
      --live-stream-error: #f2b8b5;
    }
  }
`

function page(title: string, main: string, header = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
<script type="module" src="/widget/live-stream-viewer.js"></script>
</head>
<body>
<header><h1>${title}</h1>${header}</header>
<main>
${main}
</main>
<p class="note">Demo of <code>hms-admin serve</code>: the tokens and room codes are fake, so joining a room fails by design.
Try <code>npx hms-admin list</code> in another terminal.</p>
</body>
</html>
`
}

/** The demo page at `/`: the list of live streams. */
export function demoListPage(): string {
  return page(
    'Live now',
    '<live-stream-list api-base="/api" watch-href="/watch?session={sessionId}"></live-stream-list>',
  )
}

/** The demo page at `/watch?session=<id>`; `sessionId` must be a validated uuid (it is not escaped further). */
export function demoWatchPage(sessionId: string): string {
  return page(
    'Watch',
    `<live-stream-viewer session-id="${sessionId}" api-base="/api" user-name="Guest"></live-stream-viewer>`,
    '<a href="/">All live streams</a>',
  )
}
