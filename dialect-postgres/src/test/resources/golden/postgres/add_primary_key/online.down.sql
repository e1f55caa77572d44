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

-- ─── Step 1 of 3 · build · 1.events.pkey_events_pkey.undo_attach
-- Drop the primary key events_pkey and allow NULL again in seq
-- Runs in one transaction.
-- Lock: events: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again. It fails while a foreign key references the primary key: drop that foreign key first.
\echo 'zerodown: step 1 of 3: Drop the primary key events_pkey and allow NULL again in seq'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "events" DROP CONSTRAINT IF EXISTS "events_pkey";
      ALTER TABLE "events" ALTER COLUMN "seq" DROP NOT NULL;
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

-- ─── Step 2 of 3 · build · 1.events.pkey_events_pkey.undo_build
-- Drop the index events_pkey if an interrupted up script left it without its constraint
-- Runs statement by statement, outside any transaction.
-- Lock: events: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID; run the down script again.
\echo 'zerodown: step 2 of 3: Drop the index events_pkey if an interrupted up script left it without its constraint'
SELECT EXISTS (SELECT FROM pg_index i WHERE i.indexrelid = to_regclass('"events_pkey"')
              AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "events_pkey";
\else
\echo 'zerodown: step 2 not needed, skipped'
\endif

-- ─── Step 3 of 3 · build · 1.events.pkey_events_pkey.undo_checks
-- Drop the NOT NULL checks if an interrupted up script left them
-- Runs in one transaction.
-- Lock: events: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 3 of 3: Drop the NOT NULL checks if an interrupted up script left them'
SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"events"'::regclass AND conname IN ('zd_nn_events_seq')) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "events" DROP CONSTRAINT IF EXISTS "zd_nn_events_seq";
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
\else
\echo 'zerodown: step 3 not needed, skipped'
\endif

\echo 'zerodown: down script complete'
