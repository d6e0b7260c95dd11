// Child process for the embedded-owner tests (database/test/embedded-owner.test.ts).
//   race <dataDir> <tag>: opens the data dir, inserts <tag> into race_rows, prints {"owner":bool},
//     and closes once stdin ends (so every racer is alive while ownership is decided).
//   in-transaction <dataDir>: connects to the owner's socket, BEGINs, inserts 'child' into
//     race_rows, prints "in-transaction" and waits to be killed or stopped.
import { embeddedSocketDir, isEmbeddedOwner, openDatabase } from '@hms-admin/database'
import { sql } from 'kysely'
import pg from 'pg'

const [mode, dataDir, tag] = process.argv.slice(2)
if (mode === 'race') {
  const h = await openDatabase({ dataDir })
  await sql`insert into race_rows (tag) values (${tag})`.execute(h.db)
  process.stdout.write(`${JSON.stringify({ owner: isEmbeddedOwner(dataDir) })}\n`)
  process.stdin.resume()
  await new Promise((resolve) => process.stdin.on('end', resolve))
  await h.close()
} else if (mode === 'in-transaction') {
  const c = new pg.Client({ host: embeddedSocketDir(dataDir), port: 5432, user: 'postgres', database: 'postgres' })
  await c.connect()
  await c.query('begin')
  await c.query("insert into race_rows (tag) values ('child')")
  process.stdout.write('in-transaction\n')
  setInterval(() => {}, 1 << 30)
}
