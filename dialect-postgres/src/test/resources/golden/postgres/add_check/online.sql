-- ════ up
-- zerodown · up
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 15
-- Risk: MEDIUM
-- Estimated run time: 520 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 2 · build · 1.a"b.check_a_b_x_y_check.add
-- Add the check a"b_x y_check NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 2: Add the check a"b_x y_check NOT VALID (checked for new writes only)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"a""b"'::regclass AND conname = 'a"b_x y_check') THEN
        ALTER TABLE "a""b" ADD CONSTRAINT "a""b_x y_check" CHECK ("x y" >= 0 AND "x y" < 1000) NOT VALID;
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

-- ─── Step 2 of 2 · build · 1.a"b.check_a_b_x_y_check.validate
-- Validate a"b_x y_check against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: a"b: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: The constraint stays NOT VALID: it is still enforced for new writes, and nothing else changes. The scan fails on a row the check rejects (SQLSTATE 23514): find such rows with the pre-check's query, fix them, and run the script again.
\echo 'zerodown: step 2 of 2: Validate a"b_x y_check against the existing rows (reads and writes go on)'
ALTER TABLE "a""b" VALIDATE CONSTRAINT "a""b_x y_check";

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

-- ─── Step 1 of 1 · build · 1.a"b.check_a_b_x_y_check.undo_add
-- Drop the constraint a"b_x y_check of a"b
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction. Run it again.
\echo 'zerodown: step 1 of 1: Drop the constraint a"b_x y_check of a"b'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "a""b" DROP CONSTRAINT IF EXISTS "a""b_x y_check";
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
-- The check a"b_x y_check exists on a"b and is validated.
-- expect: true
SELECT convalidated FROM pg_constraint WHERE conrelid = '"a""b"'::regclass AND conname = 'a"b_x y_check' AND contype = 'c';

-- ════ pre-checks of the operation
-- No existing row of a"b violates CHECK ("x y" >= 0 AND "x y" < 1000).
-- expect: 0
SELECT count(*) FROM "a""b" WHERE NOT ("x y" >= 0 AND "x y" < 1000);

-- No constraint named a"b_x y_check exists on a"b yet (on a re-run it does: expected).
-- expect: 0
SELECT count(*) FROM pg_constraint WHERE conrelid = '"a""b"'::regclass AND conname = 'a"b_x y_check';
