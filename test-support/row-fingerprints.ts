import { sql, type Kysely } from 'kysely'
import { qualify, quoteIdent } from '@hms-admin/migrations'

/** A table's rows as fingerprints: each row's id, its xmin (any write to a row changes it) and an md5 of its columns. */
export interface TableFingerprint {
  columns: string[]
  rows: { id: string; xmin: string; values: string }[]
}

/** The columns `table` has now, in order. */
async function columnsOf(db: Kysely<any>, schema: string, table: string): Promise<string[]> {
  const r = await sql<{ c: string }>`select column_name as c from information_schema.columns
    where table_schema = ${schema} and table_name = ${table} order by ordinal_position`.execute(db)
  return r.rows.map((row) => row.c)
}

/**
 * Fingerprints every row of schema.table over `columns` (default: the columns it has now), so a
 * later call with the same columns shows whether any row was written, even to the same values.
 */
export async function fingerprintRows(
  db: Kysely<any>,
  schema: string,
  table: string,
  columns?: string[],
): Promise<TableFingerprint> {
  const cols = columns ?? (await columnsOf(db, schema, table))
  const r = await sql<TableFingerprint['rows'][number]>`select id::text as id, xmin::text as xmin,
      md5(row(${sql.raw(cols.map(quoteIdent).join(', '))})::text) as values
    from ${sql.raw(qualify(schema, table))} order by id::text`.execute(db)
  return { columns: cols, rows: r.rows }
}
