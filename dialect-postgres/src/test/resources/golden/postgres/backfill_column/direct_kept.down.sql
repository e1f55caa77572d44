-- zerodown · down
-- Migration: fill_slugs
-- Author: unknown
-- Date: 2026-11-24
-- Target: postgresql 15
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 3 · expand · 1.products.backfill_slug.undo_trigger
-- Drop the trigger that computes slug
-- Runs in one transaction.
-- Lock: products: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 1 of 3: Drop the trigger that computes slug'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      DROP TRIGGER IF EXISTS "zd_fill_products_slug" ON "products";
      DROP FUNCTION IF EXISTS "zd_fill_products_slug"();
      DROP FUNCTION IF EXISTS "zd_keep_products_slug"(bigint);
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

-- ─── Step 2 of 3 · expand · 1.products.backfill_slug.restore
-- Put back the values of slug kept in zerodown.zd_old_fill_slugs_products_slug
-- Runs in one transaction.
-- Lock: products: ROW EXCLUSIVE and a lock on every row (blocks writes, not reads), updates every row in one statement, held proportional to rows: about 50 s for 5,000,000 rows
-- If interrupted: Nothing is changed: the UPDATE is one transaction. Run it again.
\echo 'zerodown: step 2 of 3: Put back the values of slug kept in zerodown.zd_old_fill_slugs_products_slug'
SELECT to_regclass('"zerodown"."zd_old_fill_slugs_products_slug"') IS NOT NULL AS zerodown_run_step \gset
\if :zerodown_run_step
UPDATE "products" AS zd_row SET "slug" = zd_old."zd_old_value"
FROM "zerodown"."zd_old_fill_slugs_products_slug" AS zd_old
WHERE (zd_old."id") = (zd_row."id") AND zd_old."zd_old_value" IS DISTINCT FROM zd_row."slug";
\else
\echo 'zerodown: step 2 not needed, skipped'
\endif

-- ─── Step 3 of 3 · expand · 1.products.backfill_slug.undo_keep
-- Drop zerodown.zd_old_fill_slugs_products_slug, whose values are back in place
-- Runs in one transaction.
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 3 of 3: Drop zerodown.zd_old_fill_slugs_products_slug, whose values are back in place'
BEGIN;
DROP TABLE IF EXISTS "zerodown"."zd_old_fill_slugs_products_slug";
DO $zerodown$
BEGIN
  IF to_regclass('zerodown.backfill_progress') IS NOT NULL THEN
    DELETE FROM zerodown.backfill_progress WHERE migration = 'fill_slugs' AND step = '1.products.backfill_slug.restore';
  END IF;
END
$zerodown$;
COMMIT;

\echo 'zerodown: down script complete'
