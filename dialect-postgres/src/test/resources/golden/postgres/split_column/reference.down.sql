-- zerodown · down
-- Migration: split_full_name
-- Author: ana@example.com
-- Date: 2026-11-24
-- Reason: Search by last name; personalisation by first name
-- Target: postgresql 15
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 3 · build · 2.users.index_users_last_name_idx.undo_build
-- Drop the index users_last_name_idx concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: users: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID; run the step again.
\echo 'zerodown: step 1 of 3: Drop the index users_last_name_idx concurrently'
DROP INDEX CONCURRENTLY IF EXISTS "users_last_name_idx";

-- ─── Step 2 of 3 · backfill · 1.users.split_full_name.undo_backfill
-- Forget the backfill's progress, so that a new up script fills the columns again
-- Runs in one transaction.
-- If interrupted: Nothing is changed: the step runs in one transaction, which rolls back as a whole.
\echo 'zerodown: step 2 of 3: Forget the backfill''s progress, so that a new up script fills the columns again'
DO $zerodown$
BEGIN
  IF to_regclass('zerodown.backfill_progress') IS NOT NULL THEN
    DELETE FROM zerodown.backfill_progress WHERE migration = 'split_full_name' AND step = '1.users.split_full_name.backfill';
  END IF;
END
$zerodown$;

-- ─── Step 3 of 3 · expand · 1.users.split_full_name.undo_expand
-- Drop the sync trigger and the columns first_name, last_name
-- Runs in one transaction.
-- Lock: users: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 3 of 3: Drop the sync trigger and the columns first_name, last_name'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      DROP TRIGGER IF EXISTS "zd_sync_users_full_name" ON "users";
      DROP FUNCTION IF EXISTS "zd_sync_users_full_name"();
      ALTER TABLE "users" DROP COLUMN IF EXISTS "first_name", DROP COLUMN IF EXISTS "last_name";
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
