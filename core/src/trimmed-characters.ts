/**
 * Every character JavaScript's `String.prototype.trim` removes (white space and line
 * terminators). Core compares secrets trimmed that way; SQL's plain `btrim` removes spaces only.
 * The secret lookup indexes are built on `btrim(column, TRIMMED_CHARACTERS)`, and the queries must
 * spell the same expression (as a literal) for Postgres to use them: never change this string
 * without a migration that rebuilds those indexes.
 */
export const TRIMMED_CHARACTERS =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
