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

-- ─── Step 1 of 4 · backfill · 1.products.backfill_slug.undo_backfill
-- Forget the backfill's progress, so that a new up script fills the column again
-- Runs in one transaction.
-- If interrupted: Nothing is changed: the step runs in one transaction, which rolls back as a whole.
\echo 'zerodown: step 1 of 4: Forget the backfill''s progress, so that a new up script fills the column again'
DO $zerodown$
BEGIN
  IF to_regclass('zerodown.backfill_progress') IS NOT NULL THEN
    DELETE FROM zerodown.backfill_progress WHERE migration = 'fill_slugs' AND step = '1.products.backfill_slug.backfill';
  END IF;
END
$zerodown$;

-- ─── Step 2 of 4 · expand · 1.products.backfill_slug.undo_trigger
-- Drop the trigger that computes slug
-- Runs in one transaction.
-- Lock: products: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 2 of 4: Drop the trigger that computes slug'
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

-- ─── Step 3 of 4 · expand · 1.products.backfill_slug.restore
-- Put back the values of slug kept in zerodown.zd_old_fill_slugs_products_slug
-- Runs statement by statement, outside any transaction.
-- Lock: products: ROW EXCLUSIVE (blocks neither reads nor writes), updates one batch of rows, held one batch at a time: about 10 ms per batch of 500 rows
-- If interrupted: Batches committed so far stay restored; running the step again resumes after the last one.
\echo 'zerodown: step 3 of 4: Put back the values of slug kept in zerodown.zd_old_fill_slugs_products_slug'
SELECT to_regclass('"zerodown"."zd_old_fill_slugs_products_slug"') IS NOT NULL AS zerodown_run_step \gset
\if :zerodown_run_step
SET statement_timeout = 0;
DO $zerodown$
#variable_conflict use_column
<<zd>>
DECLARE
  v_last_0 bigint;
  v_next_0 bigint;
  v_end_0 bigint;
  v_touched bigint;
  v_rows bigint;
  v_batches bigint;
  v_finished timestamptz;
  v_run bigint := 0;
  v_max_run bigint := coalesce(nullif(current_setting('zerodown.max_batches', true), '')::bigint, 0);
  v_attempt integer;
BEGIN
  CREATE SCHEMA IF NOT EXISTS zerodown;
  CREATE TABLE IF NOT EXISTS zerodown.backfill_progress (
    migration text NOT NULL,
    step text NOT NULL,
    last_key text[],
    end_key text[],
    rows_done bigint NOT NULL DEFAULT 0,
    batches bigint NOT NULL DEFAULT 0,
    started_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (migration, step));
  INSERT INTO zerodown.backfill_progress (migration, step) VALUES ('fill_slugs', '1.products.backfill_slug.restore')
    ON CONFLICT (migration, step) DO NOTHING;
  SELECT last_key[1]::bigint, end_key[1]::bigint, rows_done, batches, finished_at
    INTO v_last_0, v_end_0, v_rows, v_batches, v_finished
    FROM zerodown.backfill_progress WHERE migration = 'fill_slugs' AND step = '1.products.backfill_slug.restore';
  IF v_finished IS NOT NULL THEN
    RAISE NOTICE 'zerodown: backfill % already finished at %', '1.products.backfill_slug.restore', v_finished;
    RETURN;
  END IF;
  IF v_end_0 IS NULL THEN
    SELECT "id" INTO v_end_0 FROM "products" ORDER BY "id" DESC LIMIT 1;
    UPDATE zerodown.backfill_progress SET end_key = ARRAY[v_end_0::text] WHERE migration = 'fill_slugs' AND step = '1.products.backfill_slug.restore';
  END IF;
  COMMIT;
  <<batches>>
  LOOP
    EXIT batches WHEN v_max_run > 0 AND v_run >= v_max_run;
    v_attempt := 0;
    <<attempts>>
    LOOP
      BEGIN
        PERFORM set_config('lock_timeout', '1000ms', true);
        IF v_last_0 IS NULL THEN
          SELECT "id" INTO v_next_0
            FROM (SELECT "id" FROM "products" WHERE "id" <= zd.v_end_0 ORDER BY "id" LIMIT 500) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "products" AS zd_row SET "slug" = (SELECT zd_old."zd_old_value" FROM "zerodown"."zd_old_fill_slugs_products_slug" AS zd_old WHERE (zd_old."id") = (zd_row."id"))
              WHERE zd_row."id" <= zd.v_next_0
                AND (EXISTS (SELECT FROM "zerodown"."zd_old_fill_slugs_products_slug" AS zd_old WHERE (zd_old."id") = (zd_row."id") AND zd_old."zd_old_value" IS DISTINCT FROM zd_row."slug"));
            GET DIAGNOSTICS v_touched = ROW_COUNT;
          END IF;
        ELSE
          SELECT "id" INTO v_next_0
            FROM (SELECT "id" FROM "products" WHERE "id" > zd.v_last_0 AND "id" <= zd.v_end_0 ORDER BY "id" LIMIT 500) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "products" AS zd_row SET "slug" = (SELECT zd_old."zd_old_value" FROM "zerodown"."zd_old_fill_slugs_products_slug" AS zd_old WHERE (zd_old."id") = (zd_row."id"))
              WHERE zd_row."id" > zd.v_last_0 AND zd_row."id" <= zd.v_next_0
                AND (EXISTS (SELECT FROM "zerodown"."zd_old_fill_slugs_products_slug" AS zd_old WHERE (zd_old."id") = (zd_row."id") AND zd_old."zd_old_value" IS DISTINCT FROM zd_row."slug"));
            GET DIAGNOSTICS v_touched = ROW_COUNT;
          END IF;
        END IF;
        EXIT attempts;
      EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
        v_attempt := v_attempt + 1;
        IF v_attempt >= 10 THEN
          RAISE;
        END IF;
        RAISE NOTICE 'zerodown: batch could not lock its rows (%), retry % of 10', SQLERRM, v_attempt;
        PERFORM pg_sleep(least(30.000, 0.200 * 2 ^ v_attempt) * (0.5 + random() / 2));
      END;
    END LOOP attempts;
    EXIT batches WHEN v_next_0 IS NULL;
    v_last_0 := v_next_0;
    v_rows := v_rows + v_touched;
    v_batches := v_batches + 1;
    v_run := v_run + 1;
    UPDATE zerodown.backfill_progress SET last_key = ARRAY[v_last_0::text], rows_done = v_rows, batches = v_batches, updated_at = now()
      WHERE migration = 'fill_slugs' AND step = '1.products.backfill_slug.restore';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill %: batch % done, % rows written so far, last key %', '1.products.backfill_slug.restore', v_batches, v_rows, v_last_0::text;
  END LOOP batches;
  IF v_next_0 IS NULL THEN
    UPDATE zerodown.backfill_progress SET finished_at = now(), updated_at = now() WHERE migration = 'fill_slugs' AND step = '1.products.backfill_slug.restore';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill % finished: % rows written in % batches', '1.products.backfill_slug.restore', v_rows, v_batches;
  ELSE
    RAISE NOTICE 'zerodown: backfill % paused after % batches (zerodown.max_batches); run the step again to continue', '1.products.backfill_slug.restore', v_run;
  END IF;
END
$zerodown$;
RESET statement_timeout;
\else
\echo 'zerodown: step 3 not needed, skipped'
\endif

-- ─── Step 4 of 4 · expand · 1.products.backfill_slug.undo_keep
-- Drop zerodown.zd_old_fill_slugs_products_slug, whose values are back in place
-- Runs in one transaction.
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 4 of 4: Drop zerodown.zd_old_fill_slugs_products_slug, whose values are back in place'
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
