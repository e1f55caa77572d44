-- ════ up
-- zerodown · up
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
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

-- ─── Step 1 of 1 · expand · 1.p a.drop_code_key.drop
-- Drop the unique constraint code key of p a
-- Runs in one transaction.
-- Lock: p a: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction. Run it again.
\echo 'zerodown: step 1 of 1: Drop the unique constraint code key of p a'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "p a" DROP CONSTRAINT IF EXISTS "code key";
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

-- ─── Step 1 of 3 · build · 1.p a.index_code_key.repair
-- Drop code key if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: p a: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 1 of 3: Drop code key if an earlier build left it INVALID'
SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"code key"') AND NOT indisvalid) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "code key";
\else
\echo 'zerodown: step 1 not needed, skipped'
\endif

-- ─── Step 2 of 3 · build · 1.p a.index_code_key.build
-- Build the index code key concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: p a: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 4 s for 1,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 2 of 3: Build the index code key concurrently'
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "code key" ON "p a" USING btree ("code");
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"code key"') AND indisvalid
                 AND indrelid = '"p a"'::regclass AND indisunique = true) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'code key'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;

-- ─── Step 3 of 3 · expand · 1.p a.drop_code_key.undo_attach
-- Make the index code key the unique constraint code key of p a
-- Runs in one transaction.
-- Lock: p a: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 3 of 3: Make the index code key the unique constraint code key of p a'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"p a"'::regclass AND conname = 'code key') THEN
        ALTER TABLE "p a" ADD CONSTRAINT "code key" UNIQUE USING INDEX "code key";
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
-- The unique constraint code key no longer exists on p a.
-- expect: 0
SELECT count(*) FROM pg_constraint WHERE conrelid = '"p a"'::regclass AND conname = 'code key';

-- ════ pre-checks of the operation
-- No foreign key depends on the index of code key (PostgreSQL refuses to drop it without CASCADE).
-- expect: 0
SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conindid = (SELECT conindid FROM pg_constraint WHERE conrelid = '"p a"'::regclass AND conname = 'code key');

-- The index of code key is a plain unique btree on its columns (no INCLUDE, operator class, collation, NULLS NOT DISTINCT or storage parameter) and the constraint is not DEFERRABLE, so that the down script rebuilds it exactly.
-- expect: true
SELECT NOT con.condeferrable AND pg_get_indexdef(con.conindid) = format('CREATE UNIQUE INDEX %s ON %s.%s USING btree (%s)', quote_ident(ic.relname),
         quote_ident(n.nspname), quote_ident(c.relname), (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
           FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)
           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum))
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_class ic ON ic.oid = con.conindid
WHERE con.conrelid = '"p a"'::regclass AND con.conname = 'code key';
