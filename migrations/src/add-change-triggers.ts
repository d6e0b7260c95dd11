import { sql, type Kysely, type Migration } from 'kysely'
import { qualify } from './schema-name.js'

// Applied databases keep what this created; it changed only to qualify names (a schema other than
// public) and to send the id as text (an adopted bigint id would otherwise be a JSON number).
async function up(db: Kysely<any>, schema: string): Promise<void> {
  const fn = qualify(schema, 'hms_admin_notify_change')
  await sql
    .raw(`create or replace function ${fn}() returns trigger language plpgsql as $$
declare r record;
begin
  if tg_op = 'DELETE' then r := old; else r := new; end if;
  perform pg_notify('hms_admin_changes', json_build_object(
    'table', tg_table_name, 'op', lower(tg_op), 'id', r.id::text,
    -- via jsonb: plpgsql cannot name a field one of the two tables lacks
    'influencerId', case when tg_table_name = 'influencers' then r.id::text else to_jsonb(r) ->> 'influencer_id' end)::text);
  return null;
end $$`)
    .execute(db)
  for (const [trigger, table] of [
    ['hms_admin_influencers_change', 'influencers'],
    ['hms_admin_sessions_change', 'live_stream_sessions'],
  ] as const) {
    await sql.raw(`drop trigger if exists ${trigger} on ${qualify(schema, table)}`).execute(db)
    await sql
      .raw(
        `create trigger ${trigger} after insert or update or delete on ${qualify(schema, table)} for each row execute function ${fn}()`,
      )
      .execute(db)
  }
}

async function down(db: Kysely<any>, schema: string): Promise<void> {
  await sql.raw(`drop trigger if exists hms_admin_influencers_change on ${qualify(schema, 'influencers')}`).execute(db)
  await sql
    .raw(`drop trigger if exists hms_admin_sessions_change on ${qualify(schema, 'live_stream_sessions')}`)
    .execute(db)
  await sql.raw(`drop function if exists ${qualify(schema, 'hms_admin_notify_change')}()`).execute(db)
}

/** Notifies `hms_admin_changes` on every change of influencers and sessions in `schema`. */
export function addChangeTriggers(schema: string): Migration {
  return { up: (db) => up(db, schema), down: (db) => down(db, schema) }
}
