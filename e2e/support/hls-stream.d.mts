import type { BrowserContext, Page } from 'playwright-core'

/** The origin the media is served from. */
export const HLS_ORIGIN: string

/** Encodes a few seconds of H.264 + AAC HLS with ffmpeg into a new temp directory. */
export function makeHlsStream(options?: { seconds?: number }): { dir: string; close(): void }

/** Serves the stream in `dir` to a page or context; resolves to its URL and request counts. */
export function routeHlsStream(
  target: Page | BrowserContext,
  dir: string,
): Promise<{ url: string; requests: Map<string, number> }>
