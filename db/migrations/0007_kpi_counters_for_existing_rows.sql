-- Rows stored before issue #11 have no wash flag and no membership verification yet: every
-- Completed transaction is unclassified and every Completed plan sale unverified, so the new
-- counters start at the sums the rollups already hold, and the sync fills the flags in.
UPDATE `daily_rollups` SET `unclassified_washes` = `transactions`, `unverified_plan_sales` = `membership_sales`;
