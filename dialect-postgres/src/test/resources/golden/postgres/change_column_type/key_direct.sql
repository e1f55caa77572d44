-- ════ up
-- zerodown · up
-- Migration: change_type
-- Author: ops@example.com
-- Date: 2026-12-07
-- Target: postgresql 15
-- Risk: LOW
-- Estimated run time: 3 s
-- Lock duration: reads or writes blocked for up to 3 s in one step (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · expand · 1.accounts.change_type_id.alter
-- Change accounts.id to bigint, rewriting accounts and its indexes while reads and writes are blocked
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), rewrites the table and its indexes, held proportional to rows: about 3 s for 1,000,000 rows
-- Lock: orders: ACCESS EXCLUSIVE (blocks reads and writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: Nothing is changed: the rewrite is one transaction and rolls back whole (a value that does not convert stops it: the error names it). Run the script again.
\echo 'zerodown: step 1 of 1: Change accounts.id to bigint, rewriting accounts and its indexes while reads and writes are blocked'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'id' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'bigint') THEN
        ALTER TABLE "accounts" ALTER COLUMN "id" TYPE bigint USING CAST("id" AS bigint);
        ALTER SEQUENCE "accounts_id_seq" AS bigint;
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
-- Migration: change_type
-- Author: ops@example.com
-- Date: 2026-12-07
-- Target: postgresql 15
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 2 · expand · 1.accounts.change_type_id.undo_check
-- Check that every value of accounts.id fits integer again
-- Runs in one transaction.
-- Lock: accounts: ACCESS SHARE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: Nothing is changed: the check only reads. It stops the down script while a value does not fit.
\echo 'zerodown: step 1 of 2: Check that every value of accounts.id fits integer again'
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'id' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'bigint') AND EXISTS (SELECT FROM "accounts" WHERE "id" IS NOT NULL AND NOT (("id" BETWEEN -2147483648 AND 2147483647))) THEN
    RAISE EXCEPTION USING MESSAGE = 'zerodown: some values of accounts.id do not fit integer: changing the column back would fail on them or change them',
      HINT = 'List them with SELECT * FROM "accounts" WHERE NOT (("id" BETWEEN -2147483648 AND 2147483647)); change or delete them, then run the down script again.';
  END IF;
END
$zerodown$;

-- ─── Step 2 of 2 · expand · 1.accounts.change_type_id.undo_alter
-- Change accounts.id back to integer, rewriting accounts and its indexes under ACCESS EXCLUSIVE (about 3 s)
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), rewrites the table and its indexes, held proportional to rows: about 3 s for 1,000,000 rows
-- Lock: orders: ACCESS EXCLUSIVE (blocks reads and writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: Nothing is changed: the step is one transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 2 of 2: Change accounts.id back to integer, rewriting accounts and its indexes under ACCESS EXCLUSIVE (about 3 s)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      LOCK TABLE "accounts" IN ACCESS EXCLUSIVE MODE;
      IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'id' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'bigint') AND EXISTS (SELECT FROM "accounts" WHERE "id" IS NOT NULL AND NOT (("id" BETWEEN -2147483648 AND 2147483647))) THEN
        RAISE EXCEPTION USING MESSAGE = 'zerodown: some values of accounts.id do not fit integer: changing the column back would fail on them or change them';
      END IF;
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'id' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'integer') THEN
        ALTER TABLE "accounts" ALTER COLUMN "id" TYPE integer USING CAST("id" AS integer);
        ALTER SEQUENCE "accounts_id_seq" AS integer;
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

\echo 'zerodown: down script complete'

-- ════ verification
-- accounts.id has the type bigint.
-- expect: true
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'id' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'bigint');

-- ════ pre-checks of the operation
-- No view or rule reads accounts.id.
-- expect: 0
SELECT count(*) FROM pg_depend WHERE classid = 'pg_rewrite'::regclass AND refobjid = '"accounts"'::regclass
  AND refobjsubid = (SELECT attnum FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'id');

-- The conversion to bigint works on accounts's rows (on a sample of 10,000 rows).
-- expect: true
SELECT count(zd_value) >= 0 FROM (SELECT CAST("id" AS bigint) AS zd_value FROM "accounts" LIMIT 10000) AS zd_sample;
