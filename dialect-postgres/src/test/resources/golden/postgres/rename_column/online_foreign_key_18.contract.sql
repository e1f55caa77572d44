-- zerodown · contract
-- Migration: rename_email
-- Author: unknown
-- Date: 2026-12-07
-- Target: postgresql 18
-- Run: no earlier than 2026-12-14 (the 7 days rollback period), and only once no deployed code uses what it removes
-- Estimated run time: 50 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Reversible: no; once it has run, the down script no longer applies
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · contract · 1.orders.rename_customer_id_to_buyer_id.contract
-- Drop the sync trigger and the column customer_id; give the copies of its indexes and constraints their original names
-- Runs in one transaction.
-- Lock: orders: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- Lock: customers: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 1 of 1: Drop the sync trigger and the column customer_id; give the copies of its indexes and constraints their original names'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      DROP TRIGGER IF EXISTS "zd_sync_orders_customer_id" ON "orders";
      DROP FUNCTION IF EXISTS "zd_sync_orders_customer_id"();
      ALTER TABLE "orders" DROP COLUMN IF EXISTS "customer_id";
      ALTER INDEX IF EXISTS "zd_orders_customer_idx" RENAME TO "orders_customer_idx";
      IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'zd_orders_customer_id_fkey') THEN
        ALTER TABLE "orders" RENAME CONSTRAINT "zd_orders_customer_id_fkey" TO "orders_customer_id_fkey";
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

\echo 'zerodown: contract script complete'
