import { sql, type Kysely } from 'kysely'

// Frozen in time: never edit; add a new migration instead.
async function ours(db: Kysely<any>, object: string): Promise<boolean> {
  const r = await sql`select 1 from hms_admin_meta where object = ${object}`.execute(db)
  return r.rows.length > 0
}

export async function up(db: Kysely<any>): Promise<void> {
  // History actions of `rotate` and `import`; only on the events table hms-admin created (an
  // adopted one keeps whatever rules its app gave it).
  if (await ours(db, 'table:hms_credential_events')) {
    await sql`alter table hms_credential_events drop constraint if exists hms_credential_events_action_check`.execute(
      db,
    )
    await sql`alter table hms_credential_events add constraint hms_credential_events_action_check check (action in ('set','clear','rotate','import'))`.execute(
      db,
    )
  }
  // The session id takes the type of live_stream_sessions.id (uuid, or an adopted bigint or text).
  const id = await sql<{ t: string }>`select format_type(atttypid, atttypmod) as t from pg_attribute
    where attrelid = 'live_stream_sessions'::regclass and attname = 'id'`.execute(db)
  const idType = id.rows[0]?.t ?? 'uuid'
  const exists = await sql<{ t: string | null }>`select to_regclass('public.hms_viewer_handouts')::text as t`.execute(
    db,
  )
  if (exists.rows[0]?.t == null) {
    await sql`create table hms_viewer_handouts (
      session_id ${sql.raw(idType)} not null,
      minute timestamptz not null,
      status smallint not null,
      count bigint not null,
      primary key (session_id, minute, status))`.execute(db)
    await sql`insert into hms_admin_meta (object) values ('table:hms_viewer_handouts') on conflict do nothing`.execute(
      db,
    )
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (await ours(db, 'table:hms_viewer_handouts')) {
    await sql`drop table if exists hms_viewer_handouts`.execute(db)
    await sql`delete from hms_admin_meta where object = 'table:hms_viewer_handouts'`.execute(db)
  }
  if (await ours(db, 'table:hms_credential_events')) {
    await sql`delete from hms_credential_events where action in ('rotate','import')`.execute(db)
    await sql`alter table hms_credential_events drop constraint if exists hms_credential_events_action_check`.execute(
      db,
    )
    await sql`alter table hms_credential_events add constraint hms_credential_events_action_check check (action in ('set','clear'))`.execute(
      db,
    )
  }
}
