-- ════ up
-- zerodown · up
-- Migration: change_type
-- Author: ops@example.com
-- Date: 2026-12-07
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

-- ─── Step 1 of 1 · expand · 1.shops.change_type_region.alter
-- Change shops.region to character varying(20) (catalog only: no rewrite, indexes kept)
-- Runs in one transaction.
-- Lock: shops: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- Lock: regions: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 1 of 1: Change shops.region to character varying(20) (catalog only: no rewrite, indexes kept)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"shops"'::regclass AND attname = 'region' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'character varying(20)') THEN
        ALTER TABLE "shops" ALTER COLUMN "region" TYPE character varying(20);
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

-- ─── Step 1 of 2 · expand · 1.shops.change_type_region.undo_check
-- Check that every value of shops.region fits character varying(10) again
-- Runs in one transaction.
-- Lock: shops: ACCESS SHARE (blocks neither reads nor writes), scans every row, held proportional to rows: about 50 ms for 100,000 rows
-- If interrupted: Nothing is changed: the check only reads. It stops the down script while a value does not fit.
\echo 'zerodown: step 1 of 2: Check that every value of shops.region fits character varying(10) again'
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"shops"'::regclass AND attname = 'region' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'character varying(20)') AND EXISTS (SELECT FROM "shops" WHERE "region" IS NOT NULL AND NOT (length("region") <= 10)) THEN
    RAISE EXCEPTION USING MESSAGE = 'zerodown: some values of shops.region do not fit character varying(10): changing the column back would fail on them or change them',
      HINT = 'List them with SELECT * FROM "shops" WHERE NOT (length("region") <= 10); change or delete them, then run the down script again.';
  END IF;
END
$zerodown$;

-- ─── Step 2 of 2 · expand · 1.shops.change_type_region.undo_alter
-- Change shops.region back to character varying(10), rewriting shops and its indexes under ACCESS EXCLUSIVE (about 333 ms)
-- Runs in one transaction.
-- Lock: shops: ACCESS EXCLUSIVE (blocks reads and writes), rewrites the table and its indexes, held proportional to rows: about 333 ms for 100,000 rows
-- Lock: regions: ACCESS EXCLUSIVE (blocks reads and writes), scans every row, held proportional to rows: about 50 ms for 100,000 rows
-- If interrupted: Nothing is changed: the step is one transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 2 of 2: Change shops.region back to character varying(10), rewriting shops and its indexes under ACCESS EXCLUSIVE (about 333 ms)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      LOCK TABLE "shops" IN ACCESS EXCLUSIVE MODE;
      IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"shops"'::regclass AND attname = 'region' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'character varying(20)') AND EXISTS (SELECT FROM "shops" WHERE "region" IS NOT NULL AND NOT (length("region") <= 10)) THEN
        RAISE EXCEPTION USING MESSAGE = 'zerodown: some values of shops.region do not fit character varying(10): changing the column back would fail on them or change them';
      END IF;
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"shops"'::regclass AND attname = 'region' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'character varying(10)') THEN
        ALTER TABLE "shops" ALTER COLUMN "region" TYPE character varying(10) USING CAST("region" AS character varying(10));
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
-- shops.region has the type character varying(20).
-- expect: true
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"shops"'::regclass AND attname = 'region' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'character varying(20)');

-- ════ pre-checks of the operation
-- No view or rule reads shops.region.
-- expect: 0
SELECT count(*) FROM pg_depend WHERE classid = 'pg_rewrite'::regclass AND refobjid = '"shops"'::regclass
  AND refobjsubid = (SELECT attnum FROM pg_attribute WHERE attrelid = '"shops"'::regclass AND attname = 'region');
