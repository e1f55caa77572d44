-- zerodown · up
-- Migration: keys
-- Author: ops@example.com
-- Date: 2026-11-24
-- Target: postgresql 15
-- Risk: MEDIUM
-- Estimated run time: 20 s
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 3 · build · 1.events.pkey_events_pkey.repair
-- Drop events_pkey if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: events: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 1 of 3: Drop events_pkey if an earlier build left it INVALID'
SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"events_pkey"') AND NOT indisvalid) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "events_pkey";
\else
\echo 'zerodown: step 1 not needed, skipped'
\endif

-- ─── Step 2 of 3 · build · 1.events.pkey_events_pkey.build
-- Build the unique index events_pkey on events (tenant, seq) concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: events: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 20 s for 5,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it and, once it was ready, check their keys against it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 2 of 3: Build the unique index events_pkey on events (tenant, seq) concurrently'
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "events_pkey" ON "events" USING btree ("tenant", "seq");
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"events_pkey"') AND indisvalid
                 AND indrelid = '"events"'::regclass AND indisunique = true) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'events_pkey'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;

-- ─── Step 3 of 3 · build · 1.events.pkey_events_pkey.attach
-- Add the primary key events_pkey using the index
-- Runs in one transaction.
-- Lock: events: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 3 of 3: Add the primary key events_pkey using the index'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"events"'::regclass AND conname = 'events_pkey' AND contype = 'p') THEN
        ALTER TABLE "events" ADD CONSTRAINT "events_pkey" PRIMARY KEY USING INDEX "events_pkey";
      END IF;
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

\echo 'zerodown: up script complete'
