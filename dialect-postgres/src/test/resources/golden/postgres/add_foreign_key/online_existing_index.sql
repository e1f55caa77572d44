-- ════ up
-- zerodown · up
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 15
-- Risk: MEDIUM
-- Estimated run time: 1 s
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 2 · build · 1.c"d.fk_fk_code.add
-- Add the foreign key fk code NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: c"d: SHARE ROW EXCLUSIVE (blocks writes, not reads), catalog only, held instant (catalog change, milliseconds)
-- Lock: p a: SHARE ROW EXCLUSIVE (blocks writes, not reads), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 2: Add the foreign key fk code NOT VALID (checked for new writes only)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"c""d"'::regclass AND conname = 'fk code') THEN
        ALTER TABLE "c""d" ADD CONSTRAINT "fk code" FOREIGN KEY ("code") REFERENCES "p a" ("code") NOT VALID;
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

-- ─── Step 2 of 2 · build · 1.c"d.fk_fk_code.validate
-- Validate fk code against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: c"d: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 1 s for 1,000,000 rows
-- Lock: p a: ROW SHARE (blocks neither reads nor writes), scans every row, held proportional to rows: about 1 s for 1,000,000 rows
-- If interrupted: The constraint stays NOT VALID: it is still enforced for new writes, and nothing else changes. The scan (which also looks each key up in p a) fails on a row whose key has no match in the referenced table (SQLSTATE 23503): find such rows with the pre-check's query, fix them, and run the script again.
\echo 'zerodown: step 2 of 2: Validate fk code against the existing rows (reads and writes go on)'
ALTER TABLE "c""d" VALIDATE CONSTRAINT "fk code";

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

-- ─── Step 1 of 1 · build · 1.c"d.fk_fk_code.undo_add
-- Drop the constraint fk code of c"d
-- Runs in one transaction.
-- Lock: c"d: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- Lock: p a: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction. Run it again.
\echo 'zerodown: step 1 of 1: Drop the constraint fk code of c"d'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "c""d" DROP CONSTRAINT IF EXISTS "fk code";
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
-- The foreign key fk code exists on c"d, references p a and is validated.
-- expect: true
SELECT convalidated AND confrelid = '"p a"'::regclass FROM pg_constraint
WHERE conrelid = '"c""d"'::regclass AND conname = 'fk code' AND contype = 'f';

-- ════ pre-checks of the operation
-- No row of c"d references a missing p a row (the validation would fail on it).
-- expect: 0
SELECT count(*) FROM "c""d" AS "zd_child"
WHERE "zd_child"."code" IS NOT NULL
  AND NOT EXISTS (SELECT FROM "p a" AS "zd_parent" WHERE "zd_parent"."code" = "zd_child"."code");

-- p a has a primary key or unique index on exactly code (a foreign key must reference one).
-- expect: true
SELECT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = '"p a"'::regclass AND i.indisunique AND i.indisvalid
  AND i.indimmediate AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts = 1
  AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE k.n <= i.indnkeyatts) @> ARRAY['code']::text[]);

-- c"d is not a partitioned table (PostgreSQL 15 refuses a NOT VALID foreign key on a partitioned table (18 accepts it)).
-- expect: true
SELECT relkind <> 'p' FROM pg_class WHERE oid = '"c""d"'::regclass;
