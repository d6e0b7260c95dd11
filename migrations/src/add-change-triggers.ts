import { sql, type Kysely } from 'kysely'

// Frozen in time: never edit; add a new migration instead.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create or replace function hms_admin_notify_change() returns trigger language plpgsql as $$
declare r record;
begin
  if tg_op = 'DELETE' then r := old; else r := new; end if;
  perform pg_notify('hms_admin_changes', json_build_object(
    'table', tg_table_name, 'op', lower(tg_op), 'id', r.id,
    -- via jsonb: plpgsql cannot name a field one of the two tables lacks
    'influencerId', case when tg_table_name = 'influencers' then r.id::text else to_jsonb(r) ->> 'influencer_id' end)::text);
  return null;
end $$`.execute(db)
  await sql`drop trigger if exists hms_admin_influencers_change on influencers`.execute(db)
  await sql`create trigger hms_admin_influencers_change after insert or update or delete on influencers for each row execute function hms_admin_notify_change()`.execute(
    db,
  )
  await sql`drop trigger if exists hms_admin_sessions_change on live_stream_sessions`.execute(db)
  await sql`create trigger hms_admin_sessions_change after insert or update or delete on live_stream_sessions for each row execute function hms_admin_notify_change()`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists hms_admin_influencers_change on influencers`.execute(db)
  await sql`drop trigger if exists hms_admin_sessions_change on live_stream_sessions`.execute(db)
  await sql`drop function if exists hms_admin_notify_change()`.execute(db)
}
