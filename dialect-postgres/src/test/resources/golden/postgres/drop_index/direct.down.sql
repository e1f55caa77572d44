-- zerodown · down
-- Migration: keys
-- Author: ops@example.com
-- Date: 2026-11-24
-- Target: postgresql 15
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · build · 1.docs.drop_index_docs_title_key.undo_drop
-- Rebuild the index docs_title_key (plain, blocking writes)
-- Runs in one transaction.
-- Lock: docs: SHARE (blocks writes, not reads), reads every row to build an index, held proportional to rows: about 6 s for 3,000,000 rows
-- If interrupted: Nothing is left behind: a plain CREATE INDEX rolls back whole. Run the down script again.
\echo 'zerodown: step 1 of 1: Rebuild the index docs_title_key (plain, blocking writes)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      CREATE UNIQUE INDEX IF NOT EXISTS "docs_title_key" ON "docs" USING btree ((lower(title))) WHERE score > 0;
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      attempt := attempt + 1;
      IF attempt >= 10 THEN
        RAISE EXCEPTION 'zerodown: gave up after % attempts to lock within 1000 ms', attempt
          USING ERRCODE = 'lock_not_available',
                HINT = 'Another session holds a conflicting lock. Find it with pg_blocking_pids() (see the execution plan), then run the script again: completed steps are skipped.';
      END IF;
      RAISE NOTICE 'zerodown: lock not available within 1000 ms (attempt % of 10), retrying', attempt;
      PERFORM pg_sleep(least(30.000, 0.200 * 2 ^ attempt) * (0.5 + random() / 2));
    END;
  END LOOP;
END
$zerodown$;

\echo 'zerodown: down script complete'
