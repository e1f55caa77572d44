-- ════ up
-- zerodown · up
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 15
-- Risk: MEDIUM
-- Estimated run time: 5 s
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 4 · build · 1.c"d.index_c_d_region_code_idx.repair
-- Drop c"d_region_code_idx if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: c"d: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 1 of 4: Drop c"d_region_code_idx if an earlier build left it INVALID'
SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"c""d_region_code_idx"') AND NOT indisvalid) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "c""d_region_code_idx";
\else
\echo 'zerodown: step 1 not needed, skipped'
\endif

-- ─── Step 2 of 4 · build · 1.c"d.index_c_d_region_code_idx.build
-- Build the index c"d_region_code_idx concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: c"d: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 4 s for 1,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 2 of 4: Build the index c"d_region_code_idx concurrently'
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "c""d_region_code_idx" ON "c""d" USING btree ("region", "code");
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"c""d_region_code_idx"') AND indisvalid
                 AND indrelid = '"c""d"'::regclass AND indisunique = false) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'c"d_region_code_idx'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;

-- ─── Step 3 of 4 · build · 1.c"d.fk_c_d_region_code_fkey.add
-- Add the foreign key c"d_region_code_fkey NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: c"d: SHARE ROW EXCLUSIVE (blocks writes, not reads), catalog only, held instant (catalog change, milliseconds)
-- Lock: p a: SHARE ROW EXCLUSIVE (blocks writes, not reads), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 3 of 4: Add the foreign key c"d_region_code_fkey NOT VALID (checked for new writes only)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"c""d"'::regclass AND conname = 'c"d_region_code_fkey') THEN
        ALTER TABLE "c""d" ADD CONSTRAINT "c""d_region_code_fkey" FOREIGN KEY ("region", "code") REFERENCES "p a" ("region", "code") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;
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

-- ─── Step 4 of 4 · build · 1.c"d.fk_c_d_region_code_fkey.validate
-- Validate c"d_region_code_fkey against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: c"d: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 1 s for 1,000,000 rows
-- Lock: p a: ROW SHARE (blocks neither reads nor writes), scans every row, held proportional to rows: about 1 s for 1,000,000 rows
-- If interrupted: The constraint stays NOT VALID: it is still enforced for new writes, and nothing else changes. The scan (which also looks each key up in p a) fails on a row whose key has no match in the referenced table (SQLSTATE 23503): find such rows with the pre-check's query, fix them, and run the script again.
\echo 'zerodown: step 4 of 4: Validate c"d_region_code_fkey against the existing rows (reads and writes go on)'
ALTER TABLE "c""d" VALIDATE CONSTRAINT "c""d_region_code_fkey";

\echo 'zerodown: up script complete'

-- ════ contract

-- ════ down
-- zerodown · down
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 15
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 2 · build · 1.c"d.fk_c_d_region_code_fkey.undo_add
-- Drop the constraint c"d_region_code_fkey of c"d
-- Runs in one transaction.
-- Lock: c"d: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- Lock: p a: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction. Run it again.
\echo 'zerodown: step 1 of 2: Drop the constraint c"d_region_code_fkey of c"d'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "c""d" DROP CONSTRAINT IF EXISTS "c""d_region_code_fkey";
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

-- ─── Step 2 of 2 · build · 1.c"d.index_c_d_region_code_idx.undo_build
-- Drop the index c"d_region_code_idx concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: c"d: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID; run the step again.
\echo 'zerodown: step 2 of 2: Drop the index c"d_region_code_idx concurrently'
DROP INDEX CONCURRENTLY IF EXISTS "c""d_region_code_idx";

\echo 'zerodown: down script complete'

-- ════ verification
-- The index c"d_region_code_idx exists on c"d and is valid.
-- expect: true
SELECT i.indisvalid AND i.indisready AND i.indrelid = '"c""d"'::regclass AND i.indisunique = false
FROM pg_index i WHERE i.indexrelid = to_regclass('"c""d_region_code_idx"');

-- The foreign key c"d_region_code_fkey exists on c"d, references p a and is validated.
-- expect: true
SELECT convalidated AND confrelid = '"p a"'::regclass FROM pg_constraint
WHERE conrelid = '"c""d"'::regclass AND conname = 'c"d_region_code_fkey' AND contype = 'f';

-- ════ pre-checks of the operation
-- No index or other relation named c"d_region_code_idx exists yet (on a re-run it does: expected).
-- expect: 0
SELECT count(*) FROM pg_class WHERE oid = to_regclass('"c""d_region_code_idx"');

-- No row of c"d references a missing p a row (the validation would fail on it).
-- expect: 0
SELECT count(*) FROM "c""d" AS "zd_child"
WHERE "zd_child"."region" IS NOT NULL AND "zd_child"."code" IS NOT NULL
  AND NOT EXISTS (SELECT FROM "p a" AS "zd_parent" WHERE "zd_parent"."region" = "zd_child"."region" AND "zd_parent"."code" = "zd_child"."code");

-- p a has a primary key or unique index on exactly region, code (a foreign key must reference one).
-- expect: true
SELECT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = '"p a"'::regclass AND i.indisunique AND i.indisvalid
  AND i.indimmediate AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts = 2
  AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE k.n <= i.indnkeyatts) @> ARRAY['region', 'code']::text[]);

-- c"d is not a partitioned table (CREATE INDEX CONCURRENTLY fails on a partitioned table; PostgreSQL 15 refuses a NOT VALID foreign key on a partitioned table (18 accepts it)).
-- expect: true
SELECT relkind <> 'p' FROM pg_class WHERE oid = '"c""d"'::regclass;
