/** The version of hms-admin shown by `--version` and in SARIF reports; keep it in step with package.json. */
export const VERSION = '0.1.0'
