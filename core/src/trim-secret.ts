/**
 * The white space trimmed off both ends of a stored secret before two are compared, in
 * JavaScript (`trimSecret`) and in SQL (`btrim(column, TRIMMED_CHARACTERS)`, which the secret
 * lookup indexes are built on): the ASCII white space a paste leaves (space, tab, line feed,
 * vertical tab, form feed, carriage return). ASCII, so that every Postgres server encoding holds
 * the same characters; other Unicode spaces count as part of the value.
 */
export const TRIMMED_CHARACTERS = ' \t\n\v\f\r'

const AT_THE_ENDS = new RegExp(`^[${TRIMMED_CHARACTERS}]+|[${TRIMMED_CHARACTERS}]+$`, 'g')

/** `value` without `TRIMMED_CHARACTERS` at either end: how two stored secrets are compared. */
export function trimSecret(value: string): string {
  return value.replace(AT_THE_ENDS, '')
}
