/** `npm run db:migrate`: apply pending migrations to DATABASE_URL's file. */
import { closeDb, getDb } from '@/db';
import { getConfigOrExit } from '@/lib/env';

const config = getConfigOrExit();
getDb();
closeDb();
console.log(`Migrations applied to ${config.databasePath}`);
