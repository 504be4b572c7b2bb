-- The content version of what the pages read (db/queries/statements.ts, issue 14): SQLite has
-- PRAGMA data_version, Postgres has nothing alike, so every statement that changes one of these
-- tables, from any instance, takes the next value of this sequence. A sequence, not a counter row:
-- nextval never waits for another transaction, so concurrent syncs of different databases do not
-- queue behind one row lock; readers read last_value, which shows every session's nextval at once.
-- Statement-level triggers: one nextval per INSERT/UPDATE/DELETE statement, not per row, so a bulk
-- ingest pays nothing per row.
CREATE SEQUENCE "washboard_data_version";
--> statement-breakpoint
CREATE FUNCTION "washboard_bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('washboard_data_version');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "daily_rollups_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "daily_rollups" FOR EACH STATEMENT EXECUTE FUNCTION "washboard_bump_data_version"();
--> statement-breakpoint
CREATE TRIGGER "hourly_rollups_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "hourly_rollups" FOR EACH STATEMENT EXECUTE FUNCTION "washboard_bump_data_version"();
--> statement-breakpoint
CREATE TRIGGER "site_coverage_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "site_coverage" FOR EACH STATEMENT EXECUTE FUNCTION "washboard_bump_data_version"();
--> statement-breakpoint
CREATE TRIGGER "sync_runs_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "sync_runs" FOR EACH STATEMENT EXECUTE FUNCTION "washboard_bump_data_version"();
--> statement-breakpoint
CREATE TRIGGER "sync_chunks_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "sync_chunks" FOR EACH STATEMENT EXECUTE FUNCTION "washboard_bump_data_version"();
--> statement-breakpoint
CREATE TRIGGER "sync_leases_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "sync_leases" FOR EACH STATEMENT EXECUTE FUNCTION "washboard_bump_data_version"();
--> statement-breakpoint
CREATE TRIGGER "sites_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "sites" FOR EACH STATEMENT EXECUTE FUNCTION "washboard_bump_data_version"();
--> statement-breakpoint
CREATE TRIGGER "databases_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "databases" FOR EACH STATEMENT EXECUTE FUNCTION "washboard_bump_data_version"();
--> statement-breakpoint
CREATE TRIGGER "transactions_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "transactions" FOR EACH STATEMENT EXECUTE FUNCTION "washboard_bump_data_version"();
