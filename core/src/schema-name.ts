/**
 * A Postgres schema name hms-admin accepts (`--schema`, `HMS_ADMIN_SCHEMA`): a plain identifier
 * of at most 63 characters, so it can be quoted into SQL without surprises.
 */
export const SCHEMA_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/

/** The schema used when none is given. */
export const DEFAULT_SCHEMA = 'public'
