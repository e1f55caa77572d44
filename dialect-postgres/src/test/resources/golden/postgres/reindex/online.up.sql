-- zerodown · up
-- Migration: keys
-- Author: ops@example.com
-- Date: 2026-11-24
-- Target: postgresql 15
-- Risk: LOW
-- Estimated run time: 16 s
-- Lock duration: no lock that blocks reads or writes
-- Phases: build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 3 · build · 1.notes.reindex_notes_body_idx.repair_ccnew
-- Drop notes_body_idx_ccnew if an earlier REINDEX CONCURRENTLY left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: notes: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 1 of 3: Drop notes_body_idx_ccnew if an earlier REINDEX CONCURRENTLY left it INVALID'
SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"notes_body_idx_ccnew"') AND indrelid = '"notes"'::regclass AND NOT indisvalid) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "notes_body_idx_ccnew";
\else
\echo 'zerodown: step 1 not needed, skipped'
\endif

-- ─── Step 2 of 3 · build · 1.notes.reindex_notes_body_idx.repair_ccold
-- Drop notes_body_idx_ccold if an earlier REINDEX CONCURRENTLY left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: notes: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 2 of 3: Drop notes_body_idx_ccold if an earlier REINDEX CONCURRENTLY left it INVALID'
SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"notes_body_idx_ccold"') AND indrelid = '"notes"'::regclass AND NOT indisvalid) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "notes_body_idx_ccold";
\else
\echo 'zerodown: step 2 not needed, skipped'
\endif

-- ─── Step 3 of 3 · build · 1.notes.reindex_notes_body_idx.reindex
-- Rebuild the index notes_body_idx concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: notes: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 16 s for 4,000,000 rows
-- If interrupted: The old index stays in use; an INVALID notes_body_idx_ccnew or notes_body_idx_ccold is left behind, which writes keep maintaining. Running the script again drops it and rebuilds.
\echo 'zerodown: step 3 of 3: Rebuild the index notes_body_idx concurrently'
SET lock_timeout = 0;
SET statement_timeout = 0;
REINDEX INDEX CONCURRENTLY "notes_body_idx";
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"notes_body_idx"') AND indisvalid AND indrelid = '"notes"'::regclass)
     OR EXISTS (SELECT FROM pg_index WHERE indexrelid IN (to_regclass('"notes_body_idx_ccnew"'), to_regclass('"notes_body_idx_ccold"')) AND NOT indisvalid) THEN
    RAISE EXCEPTION 'zerodown: index % is not valid, or a copy of it was left behind by the rebuild', 'notes_body_idx'
      USING HINT = 'Run the script again: leftovers are dropped before the rebuild.';
  END IF;
END
$zerodown$;

\echo 'zerodown: up script complete'
