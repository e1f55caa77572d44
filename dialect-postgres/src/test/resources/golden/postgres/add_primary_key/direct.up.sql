-- zerodown · up
-- Migration: keys
-- Author: ops@example.com
-- Date: 2026-11-24
-- Target: postgresql 15
-- Risk: LOW
-- Estimated run time: 12 s
-- Lock duration: reads or writes blocked for up to 12 s in one step (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · build · 1.events.pkey_events_pkey.add
-- Add the primary key events_pkey on events (tenant, seq), checking for NULLs and building its index under ACCESS EXCLUSIVE
-- Runs in one transaction.
-- Lock: events: ACCESS EXCLUSIVE (blocks reads and writes), reads every row to build an index, held proportional to rows: about 12 s for 5,000,000 rows
-- If interrupted: Nothing is changed: the statement rolls back whole. Run the script again.
\echo 'zerodown: step 1 of 1: Add the primary key events_pkey on events (tenant, seq), checking for NULLs and building its index under ACCESS EXCLUSIVE'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"events"'::regclass AND conname = 'events_pkey' AND contype = 'p') THEN
        ALTER TABLE "events" ADD CONSTRAINT "events_pkey" PRIMARY KEY ("tenant", "seq");
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
