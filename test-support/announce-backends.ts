// Vitest global setup: says up front which database backends the database tests run against, so
// a run that silently skipped the Postgres server cannot pass for one that covered both.
export default function announceBackends(): void {
  const url = process.env['TEST_DATABASE_URL']
  const where = url ? `embedded PGlite and the Postgres server at ${redact(url)} (TEST_DATABASE_URL)` : 'embedded PGlite only (set TEST_DATABASE_URL=postgres://… to also test a Postgres server)'
  process.stdout.write(`\nDatabase tests run against ${where}.\n\n`)
}

function redact(url: string): string {
  try { const u = new URL(url); if (u.password) u.password = '***'; return `${u.host}${u.pathname}` } catch { return 'an unparsable URL' }
}
