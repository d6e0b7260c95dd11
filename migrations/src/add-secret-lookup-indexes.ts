import { sql, type Kysely, type Migration } from 'kysely'
import { qualify } from './schema-name.js'

// Frozen in time: never edit; add a new migration instead.
const COLUMNS = ['hms_auth_token', 'room_code', 'hms_viewer_auth_token', 'hms_viewer_room_code']

/**
 * core's TRIMMED_CHARACTERS as they were when this migration was written (a test holds them equal):
 * the queries spell `btrim(column, TRIMMED_CHARACTERS)` and Postgres uses an index only for the
 * very expression it was built on.
 */
export const INDEXED_TRIM_CHARACTERS = ' \t\n\v\f\r'

const indexName = (column: string) => `hms_admin_influencers_${column}_trimmed`

async function createIndex(db: Kysely<any>, schema: string, column: string): Promise<void> {
  const name = indexName(column)
  // Hash, not btree: equality is all the lookups need, and a btree refuses entries over about
  // 2.7 kB, which a legacy value in an adopted table could be (its app's writes would then fail).
  await sql`create index ${sql.id(name)} on ${sql.raw(qualify(schema, 'influencers'))}
    using hash (btrim(${sql.id(column)}, ${sql.lit(INDEXED_TRIM_CHARACTERS)}))`.execute(db)
  await sql`insert into ${sql.raw(qualify(schema, 'hms_admin_meta'))} (object) values (${`index:${name}`}) on conflict do nothing`.execute(
    db,
  )
}

async function up(db: Kysely<any>, schema: string): Promise<void> {
  for (const column of COLUMNS) {
    const exists = await sql<{
      t: string | null
    }>`select to_regclass(${qualify(schema, indexName(column))})::text as t`.execute(db)
    if (exists.rows[0]?.t == null) await createIndex(db, schema, column)
  }
}

async function down(db: Kysely<any>, schema: string): Promise<void> {
  const meta = qualify(schema, 'hms_admin_meta')
  for (const column of COLUMNS) {
    const object = `index:${indexName(column)}`
    const ours = await sql`select 1 from ${sql.raw(meta)} where object = ${object}`.execute(db)
    if (ours.rows.length === 0) continue
    await sql.raw(`drop index if exists ${qualify(schema, indexName(column))}`).execute(db)
    await sql`delete from ${sql.raw(meta)} where object = ${object}`.execute(db)
  }
}

/**
 * Hash indexes on the four credential columns, trimmed as core compares secrets: the endpoint's
 * check of one stream's secrets against every other influencer becomes a few index lookups
 * instead of a scan of the table (about 230 ms at 100,000 influencers on every cache miss).
 */
export function addSecretLookupIndexes(schema: string): Migration {
  return { up: (db) => up(db, schema), down: (db) => down(db, schema) }
}
