import { existsSync } from 'node:fs'

// Vitest global setup: says up front which database backends the database tests run against (so a
// run that silently skipped the Postgres server cannot pass for one that covered both) and where
// the browser tests' Chromium is missing, before thirty tests fail with a launcher error each.
export function setup(): void {
  const url = process.env.TEST_DATABASE_URL
  const where = url
    ? `embedded PGlite and the Postgres server at ${redact(url)} (TEST_DATABASE_URL)`
    : 'embedded PGlite only (set TEST_DATABASE_URL=postgres://… to also test a Postgres server)'
  process.stdout.write(`\nDatabase tests run against ${where}.\n`)
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(chromium))
    process.stdout.write(
      `Browser tests need Chromium at ${chromium}, which is missing: run \`apt-get install chromium\` (Debian) or set CHROMIUM_PATH.\n`,
    )
  process.stdout.write('\n')
}

function redact(url: string): string {
  try {
    const u = new URL(url)
    return `${u.host}${u.pathname}`
  } catch {
    return 'an unparsable URL'
  }
}
