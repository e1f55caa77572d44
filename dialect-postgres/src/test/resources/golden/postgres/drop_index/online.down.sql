-- zerodown · down
-- Migration: keys
-- Author: ops@example.com
-- Date: 2026-11-24
-- Target: postgresql 15
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 2 · build · 1.docs.drop_index_docs_title_key.undo_repair
-- Drop docs_title_key if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: docs: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 1 of 2: Drop docs_title_key if an earlier build left it INVALID'
SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"docs_title_key"') AND NOT indisvalid) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "docs_title_key";
\else
\echo 'zerodown: step 1 not needed, skipped'
\endif

-- ─── Step 2 of 2 · build · 1.docs.drop_index_docs_title_key.undo_drop
-- Rebuild the index docs_title_key concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: docs: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 12 s for 3,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it and, once it was ready, check their keys against it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 2 of 2: Rebuild the index docs_title_key concurrently'
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "docs_title_key" ON "docs" USING btree ((lower(title))) WHERE score > 0;
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"docs_title_key"') AND indisvalid
                 AND indrelid = '"docs"'::regclass AND indisunique = true) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'docs_title_key'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;

\echo 'zerodown: down script complete'
