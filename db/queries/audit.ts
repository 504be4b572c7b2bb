/**
 * The audit log's statements (lib/auth/audit.ts decides what is written), in portable SQL for
 * both dialects. Not `server-only`: the users CLI records its changes too.
 */
import { getDb } from '@/db';
import type { AuditEntry } from '@/db/schema';

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

const COLUMNS = 'id, at, actor_user_id AS "actorUserId", actor_email AS "actorEmail", action, detail, address';

export async function insertAuditEntry(entry: NewAuditEntry): Promise<void> {
  await getDb().sql.run(
    'INSERT INTO audit_log (at, actor_user_id, actor_email, action, detail, address) VALUES (@at, @actorUserId, @actorEmail, @action, @detail, @address)',
    entry,
  );
}

/** One page of the log, newest first, and how many entries there are in all. */
export async function listAuditEntries({ page, pageSize }: { page: number; pageSize: number }): Promise<{ entries: AuditEntry[]; total: number }> {
  const { sql } = getDb();
  const [count, entries] = await Promise.all([
    sql.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'),
    sql.all<AuditEntry>(`SELECT ${COLUMNS} FROM audit_log ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, [pageSize, (page - 1) * pageSize]),
  ]);
  return { entries, total: count?.n ?? 0 };
}
