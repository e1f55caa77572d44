-- zerodown · up
-- Migration: keys
-- Author: ops@example.com
-- Date: 2026-11-24
-- Target: postgresql 15
-- Risk: MEDIUM
-- Estimated run time: 8 s
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 3 · build · 1.accounts.unique_accounts_email_tenant_key.repair
-- Drop accounts_email_tenant_key if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: accounts: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 1 of 3: Drop accounts_email_tenant_key if an earlier build left it INVALID'
SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"accounts_email_tenant_key"') AND NOT indisvalid) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "accounts_email_tenant_key";
\else
\echo 'zerodown: step 1 not needed, skipped'
\endif

-- ─── Step 2 of 3 · build · 1.accounts.unique_accounts_email_tenant_key.build
-- Build the unique index accounts_email_tenant_key on accounts (email, tenant) concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: accounts: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 8 s for 2,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it and, once it was ready, check their keys against it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 2 of 3: Build the unique index accounts_email_tenant_key on accounts (email, tenant) concurrently'
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "accounts_email_tenant_key" ON "accounts" USING btree ("email", "tenant");
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"accounts_email_tenant_key"') AND indisvalid
                 AND indrelid = '"accounts"'::regclass AND indisunique = true) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'accounts_email_tenant_key'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;

-- ─── Step 3 of 3 · build · 1.accounts.unique_accounts_email_tenant_key.attach
-- Add the unique constraint accounts_email_tenant_key using the index
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 3 of 3: Add the unique constraint accounts_email_tenant_key using the index'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"accounts"'::regclass AND conname = 'accounts_email_tenant_key') THEN
        ALTER TABLE "accounts" ADD CONSTRAINT "accounts_email_tenant_key" UNIQUE USING INDEX "accounts_email_tenant_key";
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
