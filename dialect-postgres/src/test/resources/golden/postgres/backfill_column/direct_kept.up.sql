-- zerodown · up
-- Migration: fill_slugs
-- Author: unknown
-- Date: 2026-11-24
-- Target: postgresql 15
-- Risk: LOW
-- Estimated run time: 50 s
-- Lock duration: reads or writes blocked for up to 50 s in one step (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand, backfill
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 2 · expand · 1.products.backfill_slug.expand
-- Create the trigger that computes slug on products, and zerodown.zd_old_fill_slugs_products_slug for the values it replaces
-- Runs in one transaction.
-- Lock: products: SHARE ROW EXCLUSIVE (blocks writes, not reads), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the trigger and the side table are created in one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 2: Create the trigger that computes slug on products, and zerodown.zd_old_fill_slugs_products_slug for the values it replaces'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      CREATE SCHEMA IF NOT EXISTS "zerodown";
      CREATE TABLE IF NOT EXISTS "zerodown"."zd_old_fill_slugs_products_slug" ("id" bigint NOT NULL, "zd_old_value" text, PRIMARY KEY ("id"));
      EXECUTE format('CREATE OR REPLACE FUNCTION %I(bigint) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $keep$INSERT INTO "zerodown"."zd_old_fill_slugs_products_slug" (%I, "zd_old_value") SELECT %I, %I FROM %s.%I WHERE (%I) = ($1) ON CONFLICT DO NOTHING$keep$',
        'zd_keep_products_slug', 'id', 'id', 'slug',
        (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = '"products"'::regclass), 'products', 'id');
      CREATE OR REPLACE FUNCTION "zd_fill_products_slug"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $function$
      #variable_conflict use_column
      DECLARE
        zd_value text;
      BEGIN
        SELECT (lower(replace(name, ' ', '-'))) INTO zd_value FROM (SELECT NEW.*) AS zd_row;
        IF TG_OP = 'UPDATE' AND zd_value IS DISTINCT FROM OLD."slug" THEN
          -- keep the value the row had before the migration first changed it
          PERFORM "zd_keep_products_slug"(OLD."id");
        END IF;
        NEW."slug" := zd_value;
        RETURN NEW;
      END
      $function$;
      IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = '"products"'::regclass AND tgname = 'zd_fill_products_slug') THEN
        CREATE TRIGGER "zd_fill_products_slug" BEFORE INSERT OR UPDATE OF "name", "slug" ON "products" FOR EACH ROW EXECUTE FUNCTION "zd_fill_products_slug"();
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

-- ─── Step 2 of 2 · backfill · 1.products.backfill_slug.backfill
-- Fill slug in one UPDATE
-- Runs in one transaction.
-- Lock: products: ROW EXCLUSIVE and a lock on every row (blocks writes, not reads), updates every row in one statement, held proportional to rows: about 50 s for 5,000,000 rows
-- If interrupted: Nothing is changed: the UPDATE is one transaction and rolls back whole. Run the script again.
\echo 'zerodown: step 2 of 2: Fill slug in one UPDATE'
UPDATE "products" SET "slug" = (lower(replace(name, ' ', '-'))) WHERE "slug" IS DISTINCT FROM CAST((lower(replace(name, ' ', '-'))) AS text);

\echo 'zerodown: up script complete'
