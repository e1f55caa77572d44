-- ════ up

-- ════ contract
-- zerodown · contract
-- Migration: drop_column
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 18
-- Run: once no deployed code uses what it removes (the change is one-way: no rollback period)
-- Estimated run time: 20 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Reversible: only by the contract-down script drop_column.contract-down.sql (see what it loses); once it has run, the down script no longer applies
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · contract · 1.a"b.drop_column_x_y.drop
-- Drop the column a"b.x y
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again; a column already dropped is skipped.
\echo 'zerodown: step 1 of 1: Drop the column a"b.x y'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "a""b" DROP COLUMN IF EXISTS "x y";
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

\echo 'zerodown: contract script complete'

-- ════ down

-- ════ contract-down
-- zerodown · contract-down
-- Migration: drop_column
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 18
-- Undoes: the contract script; run only after it (or after it stopped halfway), never before it
-- Estimated run time: 20 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Data loss: Drop the column a"b.x y: the values of a"b.x y are gone: the column comes back nullable, without default (it was NOT NULL: with no default, the empty rows cannot be NOT NULL), as the last column of the table; only a backup or a point-in-time recovery brings the values back.
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · contract · 1.a"b.drop_column_x_y.undo_drop
-- Add a"b.x y again, empty
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 1 of 1: Add a"b.x y again, empty'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'x y' AND attnum > 0 AND NOT attisdropped) THEN
        ALTER TABLE "a""b" ADD COLUMN "x y" text;
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

\echo 'zerodown: contract-down script complete'

-- ════ verification
-- The column a"b.x y is still in place (it is dropped by the contract script).
-- expect: true
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'x y' AND attnum > 0 AND NOT attisdropped);

-- ════ pre-checks of the operation
-- a"b is an ordinary table (neither partitioned nor a partition).
-- expect: 1
SELECT count(*) FROM pg_class WHERE oid = '"a""b"'::regclass AND relkind = 'r' AND NOT relispartition;

-- No view, rule, policy, trigger or foreign key depends on a"b.x y.
-- expect: 0
SELECT count(*) FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = '"a""b"'::regclass AND a.attname = 'x y' AND d.deptype = 'n';
