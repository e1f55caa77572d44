-- zerodown · down
-- Migration: rename_email
-- Author: unknown
-- Date: 2026-12-07
-- Target: postgresql 15
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 6 · build · 1.customers.rename_email_to_contact_email.undo_index_3
-- Drop the index zd_customers_email_key concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: customers: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID; run the script again.
\echo 'zerodown: step 1 of 6: Drop the index zd_customers_email_key concurrently'
DROP INDEX CONCURRENTLY IF EXISTS "zd_customers_email_key";

-- ─── Step 2 of 6 · build · 1.customers.rename_email_to_contact_email.undo_index_2
-- Drop the index zd_customers_lower_email_idx concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: customers: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID; run the script again.
\echo 'zerodown: step 2 of 6: Drop the index zd_customers_lower_email_idx concurrently'
DROP INDEX CONCURRENTLY IF EXISTS "zd_customers_lower_email_idx";

-- ─── Step 3 of 6 · build · 1.customers.rename_email_to_contact_email.undo_index_1
-- Drop the index zd_customers_email_age_idx concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: customers: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID; run the script again.
\echo 'zerodown: step 3 of 6: Drop the index zd_customers_email_age_idx concurrently'
DROP INDEX CONCURRENTLY IF EXISTS "zd_customers_email_age_idx";

-- ─── Step 4 of 6 · build · 1.customers.rename_email_to_contact_email.undo_add_check_email_has_at
-- Drop the constraint zd_email_has_at of customers
-- Runs in one transaction.
-- Lock: customers: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction. Run it again.
\echo 'zerodown: step 4 of 6: Drop the constraint zd_email_has_at of customers'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "customers" DROP CONSTRAINT IF EXISTS "zd_email_has_at";
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

-- ─── Step 5 of 6 · backfill · 1.customers.rename_email_to_contact_email.undo_backfill
-- Forget the backfill's progress, so that a new up script copies the column again
-- Runs in one transaction.
-- If interrupted: Nothing is changed: the step runs in one transaction, which rolls back as a whole.
\echo 'zerodown: step 5 of 6: Forget the backfill''s progress, so that a new up script copies the column again'
DO $zerodown$
BEGIN
  IF to_regclass('zerodown.backfill_progress') IS NOT NULL THEN
    DELETE FROM zerodown.backfill_progress WHERE migration = 'rename_email' AND step = '1.customers.rename_email_to_contact_email.backfill';
  END IF;
END
$zerodown$;

-- ─── Step 6 of 6 · expand · 1.customers.rename_email_to_contact_email.undo_expand
-- Drop the sync trigger and the column contact_email (email was kept current: nothing is lost)
-- Runs in one transaction.
-- Lock: customers: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 6 of 6: Drop the sync trigger and the column contact_email (email was kept current: nothing is lost)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      DROP TRIGGER IF EXISTS "zd_sync_customers_email" ON "customers";
      DROP FUNCTION IF EXISTS "zd_sync_customers_email"();
      ALTER TABLE "customers" DROP COLUMN IF EXISTS "contact_email";
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
