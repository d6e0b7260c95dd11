import { sql, type RawBuilder } from 'kysely'

/**
 * Every character JavaScript's `String.prototype.trim` removes (white space and line
 * terminators): core compares secrets trimmed that way, and SQL's plain `btrim` removes spaces
 * only, so a legacy value pasted with a line break would not match its twin.
 */
const TRIMMED_CHARACTERS =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'

/** `column` (a stored secret) trimmed in SQL exactly as core trims it in JavaScript. */
export function trimmedSecret(column: RawBuilder<unknown> | ReturnType<typeof sql.ref>): RawBuilder<string> {
  return sql<string>`btrim(${column}, ${TRIMMED_CHARACTERS})`
}
