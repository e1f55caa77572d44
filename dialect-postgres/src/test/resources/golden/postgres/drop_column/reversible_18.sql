-- ════ up
-- zerodown · up
-- Migration: drop_column
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 18
-- Risk: MEDIUM
-- Estimated run time: 20 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · expand · 1.a"b.drop_column_x_y.park
-- Park a"b.x y: rename it to zd_dropped_x y and allow NULL in it (values kept for the rollback period; dropped by the contract script)
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the statements run in one short transaction, retried on lock timeout. Run the script again: a column already parked is skipped.
\echo 'zerodown: step 1 of 1: Park a"b.x y: rename it to zd_dropped_x y and allow NULL in it (values kept for the rollback period; dropped by the contract script)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'x y' AND attnum > 0 AND NOT attisdropped) THEN
        ALTER TABLE "a""b" ALTER COLUMN "x y" DROP NOT NULL;
        ALTER TABLE "a""b" RENAME COLUMN "x y" TO "zd_dropped_x y";
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
-- zerodown · contract
-- Migration: drop_column
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 18
-- Run: no earlier than 2026-01-08 (the 7 days rollback period), and only once no deployed code uses what it removes
-- Estimated run time: 20 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Reversible: no; once it has run, the down script no longer applies
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · contract · 1.a"b.drop_column_x_y.drop
-- Drop the parked column a"b.zd_dropped_x y (once the rollback period of 7 days is over)
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again; a column already dropped is skipped.
\echo 'zerodown: step 1 of 1: Drop the parked column a"b.zd_dropped_x y (once the rollback period of 7 days is over)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "a""b" DROP COLUMN IF EXISTS "zd_dropped_x y";
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
-- zerodown · down
-- Migration: drop_column
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 18
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 3 · expand · 1.a"b.drop_column_x_y.undo_park
-- Rename a"b.zd_dropped_x y back to x y, with every value it kept
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the rename is one short transaction, retried on lock timeout. Run the script again: a rename already done is skipped.
\echo 'zerodown: step 1 of 3: Rename a"b.zd_dropped_x y back to x y, with every value it kept'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'zd_dropped_x y' AND attnum > 0 AND NOT attisdropped) AND NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'x y' AND attnum > 0 AND NOT attisdropped) THEN
        ALTER TABLE "a""b" RENAME COLUMN "zd_dropped_x y" TO "x y";
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

-- ─── Step 2 of 3 · expand · 1.a"b.drop_column_x_y.undo_add_not_null
-- Add the NOT NULL constraint a"b_x y_not_null on a"b.x y NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 2 of 3: Add the NOT NULL constraint a"b_x y_not_null on a"b.x y NOT VALID (checked for new writes only)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'x y' AND attnotnull) THEN
        ALTER TABLE "a""b" ADD CONSTRAINT "a""b_x y_not_null" NOT NULL "x y" NOT VALID;
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

-- ─── Step 3 of 3 · build · 1.a"b.drop_column_x_y.undo_validate_not_null
-- Validate the NOT NULL constraint a"b_x y_not_null against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: a"b: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: The constraint stays NOT VALID: new writes of NULL are already rejected. The scan fails on a row whose x y is NULL (SQLSTATE 23502): fill those rows and run the script again.
\echo 'zerodown: step 3 of 3: Validate the NOT NULL constraint a"b_x y_not_null against the existing rows (reads and writes go on)'
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"a""b"'::regclass AND conname = 'a"b_x y_not_null' AND NOT convalidated) THEN
    ALTER TABLE "a""b" VALIDATE CONSTRAINT "a""b_x y_not_null";
  END IF;
END
$zerodown$;

\echo 'zerodown: down script complete'

-- ════ verification
-- a"b.x y is parked as zd_dropped_x y.
-- expect: true
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'x y' AND attnum > 0 AND NOT attisdropped) AND EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'zd_dropped_x y' AND attnum > 0 AND NOT attisdropped);

-- ════ pre-checks of the operation
-- a"b is an ordinary table (neither partitioned nor a partition).
-- expect: 1
SELECT count(*) FROM pg_class WHERE oid = '"a""b"'::regclass AND relkind = 'r' AND NOT relispartition;

-- No view, rule, policy, trigger or foreign key depends on a"b.x y.
-- expect: 0
SELECT count(*) FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = '"a""b"'::regclass AND a.attname = 'x y' AND d.deptype = 'n';
