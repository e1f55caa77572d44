-- zerodown · up
-- Migration: drop_sessions
-- Author: unknown
-- Date: 2026-11-24
-- Target: postgresql 15
-- Risk: MEDIUM
-- Estimated run time: 50 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · expand · 1.sessions.drop_sessions.rename
-- Rename sessions out of the way to sessions_zd_dropped (undoable; dropped in the contract phase)
-- Runs in one transaction.
-- Lock: sessions: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the rename is one transaction, retried on lock timeout. Run the script again: a rename already done is skipped.
\echo 'zerodown: step 1 of 1: Rename sessions out of the way to sessions_zd_dropped (undoable; dropped in the contract phase)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF EXISTS (SELECT FROM pg_class WHERE oid = to_regclass('"sessions"') AND relkind IN ('r', 'p')) AND to_regclass('"sessions_zd_dropped"') IS NULL THEN
        ALTER TABLE "sessions" RENAME TO "sessions_zd_dropped";
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
