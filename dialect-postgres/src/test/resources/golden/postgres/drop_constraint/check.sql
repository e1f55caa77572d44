-- ════ up
-- zerodown · up
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 15
-- Risk: MEDIUM
-- Estimated run time: 20 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · expand · 1.c"d.drop_qty_positive.drop
-- Drop the check qty positive of c"d
-- Runs in one transaction.
-- Lock: c"d: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction. Run it again.
\echo 'zerodown: step 1 of 1: Drop the check qty positive of c"d'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "c""d" DROP CONSTRAINT IF EXISTS "qty positive";
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

-- ─── Step 1 of 2 · expand · 1.c"d.drop_qty_positive.undo_add
-- Add the check qty positive NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: c"d: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 2: Add the check qty positive NOT VALID (checked for new writes only)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"c""d"'::regclass AND conname = 'qty positive') THEN
        ALTER TABLE "c""d" ADD CONSTRAINT "qty positive" CHECK (qty > 0) NOT VALID;
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

-- ─── Step 2 of 2 · build · 1.c"d.drop_qty_positive.undo_validate
-- Validate qty positive against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: c"d: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: The constraint stays NOT VALID: it is still enforced for new writes, and nothing else changes. The scan fails on a row the check rejects (SQLSTATE 23514): find such rows with the pre-check's query, fix them, and run the script again.
\echo 'zerodown: step 2 of 2: Validate qty positive against the existing rows (reads and writes go on)'
ALTER TABLE "c""d" VALIDATE CONSTRAINT "qty positive";

\echo 'zerodown: down script complete'

-- ════ verification
-- The check qty positive no longer exists on c"d.
-- expect: 0
SELECT count(*) FROM pg_constraint WHERE conrelid = '"c""d"'::regclass AND conname = 'qty positive';

-- ════ pre-checks of the operation
