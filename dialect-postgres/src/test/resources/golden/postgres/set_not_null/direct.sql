-- ════ up
-- zerodown · up
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 15
-- Risk: LOW
-- Estimated run time: 500 ms
-- Lock duration: reads or writes blocked for up to 500 ms in one step (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · build · 1.a"b.not_null_x_y.set_not_null
-- Set a"b.x y NOT NULL, checking every row while reads and writes are blocked
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: Nothing is changed: the statement rolls back whole (a NULL stops it: fill those rows and run the script again).
\echo 'zerodown: step 1 of 1: Set a"b.x y NOT NULL, checking every row while reads and writes are blocked'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'x y' AND attnotnull) THEN
        ALTER TABLE "a""b" ALTER COLUMN "x y" SET NOT NULL;
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

-- ════ contract

-- ════ down
-- zerodown · down
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 15
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · build · 1.a"b.not_null_x_y.undo_set_not_null
-- Allow NULL in a"b.x y
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 1 of 1: Allow NULL in a"b.x y'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "a""b" ALTER COLUMN "x y" DROP NOT NULL;
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

-- ════ verification
-- a"b.x y is NOT NULL, and no temporary check is left.
-- expect: true
SELECT a.attnotnull AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conrelid = a.attrelid AND c.conname = 'a"b_x y_not_null')
FROM pg_attribute a WHERE a.attrelid = '"a""b"'::regclass AND a.attname = 'x y';

-- ════ pre-checks of the operation
-- No row of a"b has x y NULL (the validation would fail on it).
-- expect: 0
SELECT count(*) FROM "a""b" WHERE "x y" IS NULL;
