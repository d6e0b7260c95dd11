// Child process for the embedded multi-process test: opens the data dir (argv[2]) and adds argv[3] influencers.
import { openDatabase, addInfluencer } from '@hms-admin/database'
const [dataDir, count, tag] = process.argv.slice(2)
const h = await openDatabase({ dataDir })
for (let i = 0; i < Number(count); i++) await addInfluencer(h.db, { handle: `${tag}-${i}`, name: `${tag} ${i}` })
await h.close()
