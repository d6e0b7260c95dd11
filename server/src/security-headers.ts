/** Headers on every answer of the API (JSON, never rendered as a document). */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
}

/**
 * The CSP of the demo pages: own scripts only, plus what the 100ms SDK needs (its init, auth, API
 * and analytics hosts, the wss endpoint init returns, the HLS CDN, Blob-URL workers of the SDK's
 * timers and hls.js, blob: media for MSE).
 */
export const DEMO_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Lit may fall back to <style> elements where adoptedStyleSheets are missing.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https://*.100ms.live",
  "media-src 'self' blob: https://*.100ms.live",
  "connect-src 'self' https://prod-init.100ms.live https://auth.100ms.live https://api.100ms.live https://event.100ms.live https://*.100ms.live wss://*.100ms.live",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** Headers of the demo pages. */
export const DEMO_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': DEMO_CONTENT_SECURITY_POLICY,
  // The viewer needs camera/microphone never; autoplay and fullscreen stay allowed for itself.
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
}
