/**
 * The audit log's statements (lib/auth/audit.ts decides what is written). Not `server-only`: the
 * users CLI records its changes too.
 */
import { count, desc } from 'drizzle-orm';
import { getSqliteDb as getDb } from '@/db';
import { auditLog, type AuditEntry } from '@/db/schema';

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export function insertAuditEntry(entry: NewAuditEntry): void {
  getDb().orm.insert(auditLog).values(entry).run();
}

/** One page of the log, newest first, and how many entries there are in all. */
export function listAuditEntries({ page, pageSize }: { page: number; pageSize: number }): { entries: AuditEntry[]; total: number } {
  const { orm } = getDb();
  const total = orm.select({ n: count() }).from(auditLog).get()?.n ?? 0;
  const entries = orm
    .select()
    .from(auditLog)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { entries, total };
}
