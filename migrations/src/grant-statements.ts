/** The kinds of database role hms-admin documents (README, "Where secrets live"). */
export const ROLE_KINDS = ['operator', 'read-only', 'serve'] as const
/** One kind of database role. */
export type RoleKind = (typeof ROLE_KINDS)[number]

/** What a role may do with one table; columns limit SELECT, INSERT and UPDATE to those columns. */
interface TableGrant {
  table: string
  privileges: readonly ('SELECT' | 'INSERT' | 'UPDATE')[]
  columns?: readonly string[]
}

// The influencer columns hms-admin reads and writes; an adopted app table keeps its other columns to itself.
const INFLUENCER_COLUMNS = [
  'id',
  'name',
  'handle',
  'hms_auth_token',
  'room_code',
  'hms_viewer_auth_token',
  'hms_viewer_room_code',
  'hms_credentials_updated_at',
  'hms_credentials_version',
]
const SESSION_COLUMNS = ['id', 'influencer_id', 'title', 'status', 'started_at', 'ended_at']
const HANDOUTS = 'hms_viewer_handouts'

function tableGrants(kind: RoleKind, withHandouts: boolean): TableGrant[] {
  const migrations: TableGrant = { table: 'hms_admin_migrations', privileges: ['SELECT'], columns: ['name'] }
  if (kind === 'serve')
    return [
      migrations,
      { table: 'influencers', privileges: ['SELECT'], columns: INFLUENCER_COLUMNS },
      { table: 'live_stream_sessions', privileges: ['SELECT'], columns: SESSION_COLUMNS },
      // Hand-outs are added with INSERT … ON CONFLICT (session_id, minute, status) DO UPDATE SET
      // count = count + excluded.count, which also needs SELECT on the conflict target and on count,
      // and UPDATE on count.
      ...(withHandouts
        ? [
            { table: HANDOUTS, privileges: ['INSERT'] } as TableGrant,
            {
              table: HANDOUTS,
              privileges: ['SELECT'],
              columns: ['session_id', 'minute', 'status', 'count'],
            } as TableGrant,
            { table: HANDOUTS, privileges: ['UPDATE'], columns: ['count'] } as TableGrant,
          ]
        : []),
    ]
  const write = kind === 'operator'
  return [
    migrations,
    {
      table: 'influencers',
      privileges: write ? ['SELECT', 'INSERT', 'UPDATE'] : ['SELECT'],
      columns: INFLUENCER_COLUMNS,
    },
    { table: 'live_stream_sessions', privileges: write ? ['SELECT', 'INSERT', 'UPDATE'] : ['SELECT'] },
    { table: 'hms_credential_events', privileges: write ? ['SELECT', 'INSERT'] : ['SELECT'] },
    ...(withHandouts ? [{ table: HANDOUTS, privileges: ['SELECT'] } as TableGrant] : []),
  ]
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Options of `grantStatements`. */
export interface GrantOptions {
  /** The schema of the tables (default `public`). */
  schema?: string
  /** The names of the known migrations: the hand-out table is granted once a migration (named `…handouts…`) creates it. */
  migrationNames: readonly string[]
}

/**
 * The exact SQL that gives `role` what a part of hms-admin needs and nothing more: first every
 * privilege on hms-admin's tables is revoked, then granted per table (and per column where the
 * table may be an app's own). LISTEN needs no privilege in Postgres. Run by the tables' owner.
 */
export function grantStatements(kind: RoleKind, role: string, options: GrantOptions): string[] {
  const schema = options.schema ?? 'public'
  const withHandouts = options.migrationNames.some((name) => name.includes('handouts'))
  const grants = tableGrants(kind, withHandouts)
  const everyTable = [
    'hms_admin_migrations',
    'influencers',
    'live_stream_sessions',
    'hms_credential_events',
    ...(withHandouts ? [HANDOUTS] : []),
  ]
  const qualified = (t: string) => `${ident(schema)}.${ident(t)}`
  return [
    `REVOKE ALL ON TABLE ${everyTable.map(qualified).join(', ')} FROM ${ident(role)};`,
    `GRANT USAGE ON SCHEMA ${ident(schema)} TO ${ident(role)};`,
    ...grants.map((g) => {
      const columns = g.columns ? ` (${g.columns.map(ident).join(', ')})` : ''
      const privileges = g.privileges.map((p) => `${p}${columns}`).join(', ')
      return `GRANT ${privileges} ON TABLE ${qualified(g.table)} TO ${ident(role)};`
    }),
  ]
}
