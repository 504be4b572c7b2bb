import { openDatabase, openPostgres } from '@/db';
import { copyArchive } from '@/db/copy';
const from = openDatabase(process.argv[2]!, { migrate: false });
const to = openPostgres(process.argv[3]!);
const t0 = Date.now();
let last = 0;
const counts = await copyArchive(from, to, (p) => { if (Date.now() - last > 10_000) { last = Date.now(); console.log(p.table, p.rows, ((Date.now() - t0) / 1000).toFixed(0) + 's'); } });
console.log([...counts], ((Date.now() - t0) / 1000).toFixed(1), 's');
await to.close();
