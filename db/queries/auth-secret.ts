/**
 * The session secret kept in the database (issue 14): on Postgres, instances on different machines
 * must sign and check cookies with the same secret, and a file beside one of them would not be
 * shared. Created once, atomically: the first instance's candidate wins, every other reads it.
 * Never logged; not `server-only` (the users CLI builds the same auth instance).
 */
import { getDb } from '@/db';

const KEY = 'auth_secret';

/** The stored secret, storing `candidate` first when there is none. */
export async function ensureStoredAuthSecret(candidate: string): Promise<string> {
  const { sql } = getDb();
  await sql.run('INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING', [KEY, candidate, Date.now()]);
  const row = await sql.get<{ value: string }>('SELECT value FROM app_state WHERE key = ?', [KEY]);
  if (!row) throw new Error('The auth secret could not be stored in app_state.');
  return row.value;
}
