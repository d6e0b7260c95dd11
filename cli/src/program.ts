import { Command, Option } from 'commander'
import type { CliDeps, GlobalOptions } from './deps.js'
import { VERSION } from './version.js'

const example = (lines: string) => `\nExample:\n${lines}\n`

/**
 * Builds the commander program; actions lazy-load their command module and record the exit code.
 * commander's own error output goes to `writeErr` (the caller masks it: it echoes what was typed).
 */
export function buildProgram(deps: CliDeps, done: (code: number) => void, writeErr: (s: string) => void): Command {
  const program = new Command('hms-admin')
  const g = (): GlobalOptions => program.opts<GlobalOptions>()
  const run = (fn: () => Promise<number>) => async () => {
    // Loaded here, not at start-up: `--help` and `--version` need neither zod nor core.
    const { checkEnvironment } = await import('./cli-input.js')
    checkEnvironment(deps.env)
    done(await fn())
  }
  program
    .description('Manage 100ms live-stream credentials of influencers, audit them in CI, and serve them to viewers.')
    .version(VERSION)
    .option('--database-url <url>', 'Postgres URL (env DATABASE_URL; default: embedded PGlite in --data-dir)')
    .option('--data-dir <dir>', 'embedded database directory (env HMS_ADMIN_DATA_DIR, default ./.hms-admin)')
    .option('--schema <name>', "schema holding the app's tables (env HMS_ADMIN_SCHEMA, default public)")
    .option('--json', 'machine-readable output on stdout (stable keys); messages go to stderr')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      example(
        '  $ hms-admin migrate\n  $ hms-admin influencer add alice --name "Alice"\n  $ pbpaste | hms-admin set-token @alice --viewer-token -\n  $ hms-admin audit --format sarif --output audit.sarif\n\nExit codes: 0 ok, 1 audit findings, 2 bad usage or invalid input, 3 environment (database), 130 cancelled.',
      ),
    )
    // Set before any .command(): subcommands copy exitOverride and the output configuration at creation.
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.stdout.write(s), writeErr })

  const fallback = () =>
    new Option(
      '--allow-broadcaster-fallback',
      'hand broadcaster credentials to viewers when no viewer credential is usable (env HMS_ALLOW_BROADCASTER_FALLBACK=1)',
    )

  program
    .command('migrate')
    .description('apply pending database migrations (idempotent)')
    .argument('[role-name]', 'with --print-grants: the database role to grant to')
    .option('--status', 'list migrations and whether they are applied')
    .option('--print-grants', 'print the SQL granting a role what one part needs (with --role and a role name)')
    .option('--role <kind>', 'with --print-grants: operator, read-only or serve')
    .option('--apply', 'with --print-grants: run the printed SQL on the database')
    .addHelpText(
      'after',
      example(
        '  $ hms-admin migrate --status\n  $ hms-admin migrate --print-grants --role serve hms_serve\n  $ hms-admin migrate --print-grants --role read-only hms_audit --apply',
      ),
    )
    .action((roleName: string | undefined, o) =>
      run(async () =>
        o.printGrants || o.role !== undefined || o.apply || roleName !== undefined
          ? (await import('./commands/grants.js')).runGrants(deps, g(), o, roleName)
          : (await import('./commands/migrate.js')).runMigrate(deps, g(), o),
      )(),
    )

  const influencer = program
    .command('influencer')
    .description('manage influencers')
    .addHelpText('after', example('  $ hms-admin influencer list'))
  influencer
    .command('add <handle>')
    .description('add an influencer')
    .requiredOption('--name <name>', 'display name')
    .addHelpText('after', example('  $ hms-admin influencer add alice --name "Alice Example"'))
    .action((handle, o) =>
      run(async () => (await import('./commands/influencer.js')).runInfluencerAdd(deps, g(), handle, o))(),
    )
  influencer
    .command('list')
    .description('list influencers')
    .addHelpText('after', example('  $ hms-admin influencer list --json'))
    .action(() => run(async () => (await import('./commands/influencer.js')).runInfluencerList(deps, g()))())

  program
    .command('set-token [influencer]')
    .description('set credentials of an influencer (prompts when run in a terminal without flags)')
    .option('--broadcaster-token <token>', 'broadcaster auth token (- reads stdin)')
    .option('--broadcaster-room-code <code>', 'broadcaster room code (- reads stdin)')
    .option('--viewer-token <token>', 'viewer auth token (- reads stdin)')
    .option('--viewer-room-code <code>', 'viewer room code (- reads stdin)')
    .option('--force', 'store values even with error findings')
    .option('--dry-run', 'show what would change; write nothing')
    .addOption(fallback())
    .addHelpText(
      'after',
      example(
        '  $ pbpaste | hms-admin set-token @alice --viewer-token -\n  $ hms-admin set-token          # interactive\n\nRefuses values with error findings (exit 2) unless --force. If someone else changed the\ninfluencer meanwhile, nothing is written (exit 2): re-run.',
      ),
    )
    .action((q, o) => run(async () => (await import('./commands/set-token.js')).runSetToken(deps, g(), q, o))())

  program
    .command('clear-token <influencer>')
    .description('remove credentials (recorded in history)')
    .option('--viewer', 'clear the viewer token and room code')
    .option('--broadcaster', 'clear the broadcaster token and room code')
    .option('--all', 'clear all four')
    .addHelpText('after', example('  $ hms-admin clear-token @alice --viewer'))
    .action((q, o) => run(async () => (await import('./commands/clear-token.js')).runClearToken(deps, g(), q, o))())

  program
    .command('show <influencer>')
    .description('masked credentials, findings, access status and what viewers receive')
    .addOption(fallback())
    .addHelpText('after', example('  $ hms-admin show alice --json'))
    .action((q, o) => run(async () => (await import('./commands/show.js')).runShow(deps, g(), q, o))())

  program
    .command('list')
    .description('every influencer with access badge, earliest expiry and finding counts')
    .addOption(fallback())
    .addHelpText('after', example('  $ hms-admin list'))
    .action((o) => run(async () => (await import('./commands/list.js')).runList(deps, g(), o))())

  program
    .command('audit')
    .description('run all credential rules over all influencers (for CI)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'junit', 'sarif', 'github']))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding reaches this severity')
        .choices(['error', 'warning', 'never'])
        .default('error'),
    )
    .option('--expiring-within <duration>', 'warn about tokens expiring within this window (e.g. 12h, 7d, 30d)', '7d')
    .addOption(fallback())
    .addHelpText(
      'after',
      example(
        '  $ hms-admin audit --format github --fail-on warning\n  $ hms-admin audit --format junit --output audit.xml --expiring-within 30d\n\nExit 1 when findings reach --fail-on, 3 when the database cannot be reached.',
      ),
    )
    .action((o) => run(async () => (await import('./commands/audit.js')).runAudit(deps, g(), o))())

  program
    .command('history [influencer]')
    .description('the credential change log, newest first')
    .option('--limit <n>', 'how many entries', '50')
    .addHelpText('after', example('  $ hms-admin history @alice --limit 10'))
    .action((q, o) => run(async () => (await import('./commands/history.js')).runHistory(deps, g(), q, o))())

  const session = program
    .command('session')
    .description('live stream sessions')
    .addHelpText('after', example('  $ hms-admin session start @alice --title "Launch"'))
  session
    .command('start <influencer>')
    .description('start a live session')
    .option('--title <title>', 'session title')
    .addHelpText('after', example('  $ hms-admin session start @alice --title "Launch"'))
    .action((q, o) => run(async () => (await import('./commands/session.js')).runSessionStart(deps, g(), q, o))())
  session
    .command('end <id>')
    .description('end a live session')
    .addHelpText('after', example('  $ hms-admin session end 0b6f…'))
    .action((id) => run(async () => (await import('./commands/session.js')).runSessionEnd(deps, g(), id))())
  session
    .command('list')
    .description('list sessions')
    .option('--status <status>', 'scheduled, live or ended')
    .addHelpText('after', example('  $ hms-admin session list --status live'))
    .action((o) => run(async () => (await import('./commands/session.js')).runSessionList(deps, g(), o))())

  program
    .command('import')
    .description('set many credentials at once from CSV or JSON: all or nothing, validated like set-token')
    .requiredOption('--file <file>', 'the file to import, - for stdin')
    .option('--dry-run', 'list what would change (fingerprints); write nothing')
    .option('--force', 'store values even with error findings')
    .option('--create-missing', 'add influencers the file names but the database lacks (the name is a handle)')
    .addOption(fallback())
    .addHelpText(
      'after',
      example(
        '  $ hms-admin import --file tokens.csv --dry-run\n  $ hms-admin import --file - < tokens.json\n\nCSV: influencer,field,value or influencer,broadcaster_token,broadcaster_room_code,viewer_token,viewer_room_code;\nJSON: an array of such rows, or {"alice":{"viewer_token":"…"}}. An empty cell leaves the slot unchanged.\nAny problem (exit 2) names its line; nothing is written. At most 32 MiB.',
      ),
    )
    .action((o) => run(async () => (await import('./commands/import.js')).runImport(deps, g(), o))())

  program
    .command('export')
    .description('the credential inventory (masks, fingerprints, claims, expiry, status; never values)')
    .addOption(
      new Option('--format <format>', 'output format (default csv; json with --json)').choices(['csv', 'json']),
    )
    .addOption(fallback())
    .addHelpText('after', example('  $ hms-admin export > inventory.csv\n  $ hms-admin export --format json | jq .'))
    .action((o) => run(async () => (await import('./commands/export.js')).runExport(deps, g(), o))())

  program
    .command('rotate')
    .description('re-mint 100ms tokens expiring soon, with the same room, role and user (history action rotate)')
    .option('--expiring-within <duration>', 'select tokens expiring within this window (expired ones too)', '7d')
    .addOption(new Option('--slot <slot>', 'which tokens').choices(['viewer', 'broadcaster', 'all']).default('viewer'))
    .option('--valid-for <duration>', 'validity of the new tokens, at most 90d', '30d')
    .option('--dry-run', 'list what would be rotated; write nothing')
    .option('--influencer <influencer>', 'only this influencer (repeatable)', (v: string, prev: string[] = []) => [
      ...prev,
      v,
    ])
    .option('--access-key <key>', 'the app access key (env HMS_ACCESS_KEY)')
    .option('--secret <->', 'read the app secret from stdin with - (env HMS_SECRET); never a value')
    .addOption(fallback())
    .addHelpText(
      'after',
      example(
        '  $ HMS_ACCESS_KEY=… HMS_SECRET=… hms-admin rotate --slot all --json\n  $ hms-admin rotate --influencer @alice --dry-run\n\nSkips (and lists, exit 1) HMS_ tokens, tokens of another access key and tokens with error\nfindings other than token.expired; a failed write does not stop the others. Exit 0 when all selected were rotated.',
      ),
    )
    .action((o) => run(async () => (await import('./commands/rotate.js')).runRotate(deps, g(), o))())

  const token = program
    .command('token')
    .description('100ms auth tokens')
    .addHelpText('after', example('  $ hms-admin token mint --room-id 5fcb4df6b492419a985ab23a --role viewer'))
  token
    .command('mint')
    .description('mint a 100ms app auth token locally (nothing is sent anywhere)')
    .requiredOption('--room-id <id>', 'the room_id claim')
    .requiredOption('--role <role>', 'the role claim (e.g. viewer)')
    .option('--user-id <id>', 'the user_id claim (default: a random id)')
    .option('--valid-for <duration>', 'validity, at most 90d', '30d')
    .option('--access-key <key>', 'the app access key (env HMS_ACCESS_KEY)')
    .option('--secret <->', 'read the app secret from stdin with - (env HMS_SECRET); never a value')
    .option('--reveal', 'print the token even when stdout is a terminal')
    .addHelpText(
      'after',
      example(
        '  $ export HMS_ACCESS_KEY=… HMS_SECRET=…\n  $ hms-admin token mint --room-id 5fcb4df6b492419a985ab23a --role viewer | hms-admin set-token @alice --viewer-token -\n\nThe token is printed only to a pipe (or with --reveal); in a terminal you see its mask.',
      ),
    )
    .action((o) => run(async () => (await import('./commands/token-mint.js')).runTokenMint(deps, g(), o))())

  program
    .command('serve')
    .description('serve viewer credentials, the widget and (with --demo) a demo page over HTTP')
    .option('--port <port>', 'port', '8787')
    .option('--host <host>', 'host', '127.0.0.1')
    .option('--allow-origin <origin>', 'allowed CORS origin (repeatable)', (v: string, prev: string[] = []) => [
      ...prev,
      v,
    ])
    .addOption(fallback())
    .option('--rate-limit <n>', 'requests per client address per minute (0 off)', '300')
    .option('--demo', 'seed demo data and serve demo pages')
    .option(
      '--listen-url <url>',
      'direct (session) Postgres connection used only for LISTEN, when --database-url goes through a pooler (env HMS_ADMIN_LISTEN_URL)',
    )
    .option(
      '--read-url <url>',
      'read replica for the credential reads; LISTEN stays on the primary (env HMS_ADMIN_READ_URL)',
    )
    .option('--cache-max-age <duration>', 'longest time an answer is served from memory, whatever happens', '30s')
    .option('--metrics', 'serve GET /metrics (Prometheus text) on the main port')
    .option('--metrics-port <port>', 'serve GET /metrics on its own port instead (e.g. one not exposed publicly)')
    .addHelpText(
      'after',
      example(
        '  $ hms-admin serve --port 8787 --allow-origin https://example.com\n  $ DATABASE_URL=postgres://…:6543/postgres hms-admin serve --listen-url postgres://…:5432/postgres',
      ),
    )
    .action((o) =>
      run(async () => {
        const { runServe } = await import('./commands/serve.js')
        const { databaseUrl, dataDir } = g()
        return runServe(
          { stdout: deps.stdout, stderr: deps.stderr, env: deps.env, openDatabase: deps.openDatabase },
          { ...o, ...(databaseUrl ? { databaseUrl } : {}), ...(dataDir ? { dataDir } : {}) },
        )
      })(),
    )
  return program
}
