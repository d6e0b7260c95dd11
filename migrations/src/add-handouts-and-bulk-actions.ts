import { sql, type Kysely, type Migration } from 'kysely'
import { qualify } from './schema-name.js'

// Frozen in time: never edit; add a new migration instead.
async function ours(db: Kysely<any>, schema: string, object: string): Promise<boolean> {
  const r = await sql`select 1 from ${sql.raw(qualify(schema, 'hms_admin_meta'))} where object = ${object}`.execute(db)
  return r.rows.length > 0
}

async function setActions(db: Kysely<any>, schema: string, actions: string): Promise<void> {
  const events = qualify(schema, 'hms_credential_events')
  await sql.raw(`alter table ${events} drop constraint if exists hms_credential_events_action_check`).execute(db)
  await sql
    .raw(`alter table ${events} add constraint hms_credential_events_action_check check (action in (${actions}))`)
    .execute(db)
}

async function up(db: Kysely<any>, schema: string): Promise<void> {
  // The history actions `rotate` and `import`; only on the events table hms-admin created (an
  // adopted one keeps whatever rules its app gave it).
  if (await ours(db, schema, 'table:hms_credential_events'))
    await setActions(db, schema, `'set','clear','rotate','import'`)
  // The session id takes the type of live_stream_sessions.id (uuid, or an adopted bigint or text).
  const id = await sql<{ t: string }>`select format_type(atttypid, atttypmod) as t from pg_attribute
    where attrelid = to_regclass(${qualify(schema, 'live_stream_sessions')}) and attname = 'id' and not attisdropped`.execute(
    db,
  )
  const handouts = qualify(schema, 'hms_viewer_handouts')
  const exists = await sql<{ t: string | null }>`select to_regclass(${handouts})::text as t`.execute(db)
  if (exists.rows[0]?.t != null) return
  await sql
    .raw(`create table ${handouts} (
      session_id ${id.rows[0]?.t ?? 'uuid'} not null,
      minute timestamptz not null,
      status smallint not null,
      count bigint not null,
      primary key (session_id, minute, status))`)
    .execute(db)
  await sql`insert into ${sql.raw(qualify(schema, 'hms_admin_meta'))} (object) values ('table:hms_viewer_handouts') on conflict do nothing`.execute(
    db,
  )
}

async function down(db: Kysely<any>, schema: string): Promise<void> {
  const meta = qualify(schema, 'hms_admin_meta')
  if (await ours(db, schema, 'table:hms_viewer_handouts')) {
    await sql.raw(`drop table if exists ${qualify(schema, 'hms_viewer_handouts')}`).execute(db)
    await sql`delete from ${sql.raw(meta)} where object = 'table:hms_viewer_handouts'`.execute(db)
  }
  if (await ours(db, schema, 'table:hms_credential_events')) {
    await sql
      .raw(`delete from ${qualify(schema, 'hms_credential_events')} where action in ('rotate','import')`)
      .execute(db)
    await setActions(db, schema, `'set','clear'`)
  }
}

/** The `rotate` and `import` history actions, and the `hms_viewer_handouts` counts of `serve`. */
export function addHandoutsAndBulkActions(schema: string): Migration {
  return { up: (db) => up(db, schema), down: (db) => down(db, schema) }
}
