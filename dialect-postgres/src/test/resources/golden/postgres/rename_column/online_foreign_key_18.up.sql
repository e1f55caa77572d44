-- zerodown · up
-- Migration: rename_email
-- Author: unknown
-- Date: 2026-12-07
-- Target: postgresql 18
-- Risk: MEDIUM
-- Estimated run time: 40 min 51 s
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand, backfill, build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 6 · expand · 1.orders.rename_customer_id_to_buyer_id.expand
-- Add the column buyer_id (bigint, nullable) and the two-way sync trigger on orders
-- Runs in one transaction.
-- Lock: orders: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: column, function and trigger are added in one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 6: Add the column buyer_id (bigint, nullable) and the two-way sync trigger on orders'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "orders" ADD COLUMN IF NOT EXISTS "buyer_id" bigint;
      CREATE OR REPLACE FUNCTION "zd_sync_orders_customer_id"() RETURNS trigger LANGUAGE plpgsql AS $function$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW."buyer_id" IS NULL THEN
            -- old code (or new code leaving the column to its default): copy the old column
            NEW."buyer_id" := NEW."customer_id";
          ELSE
            -- new code wrote the new column
            NEW."customer_id" := NEW."buyer_id";
          END IF;
        ELSIF NEW."buyer_id"::text IS DISTINCT FROM OLD."buyer_id"::text THEN
          -- new code changed the new column
          NEW."customer_id" := NEW."buyer_id";
        ELSE
          -- old code changed the old column, or another column was written (the backfill)
          NEW."buyer_id" := NEW."customer_id";
        END IF;
        RETURN NEW;
      END
      $function$;
      IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = '"orders"'::regclass AND tgname = 'zd_sync_orders_customer_id') THEN
        CREATE TRIGGER "zd_sync_orders_customer_id" BEFORE INSERT OR UPDATE ON "orders" FOR EACH ROW EXECUTE FUNCTION "zd_sync_orders_customer_id"();
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

-- ─── Step 2 of 6 · backfill · 1.orders.rename_customer_id_to_buyer_id.backfill
-- Copy customer_id into buyer_id in batches of 10,000
-- Runs statement by statement, outside any transaction.
-- Lock: orders: ROW EXCLUSIVE (blocks neither reads nor writes), updates one batch of rows, held one batch at a time: about 200 ms per batch of 10,000 rows
-- If interrupted: Batches committed so far stay done; the rest of the rows are copied by the sync trigger when they are written, or by running the step again, which resumes after the last committed batch (see zerodown.backfill_progress).
\echo 'zerodown: step 2 of 6: Copy customer_id into buyer_id in batches of 10,000'
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
  INSERT INTO zerodown.backfill_progress (migration, step) VALUES ('rename_email', '1.orders.rename_customer_id_to_buyer_id.backfill')
    ON CONFLICT (migration, step) DO NOTHING;
  SELECT last_key[1]::bigint, end_key[1]::bigint, rows_done, batches, finished_at
    INTO v_last_0, v_end_0, v_rows, v_batches, v_finished
    FROM zerodown.backfill_progress WHERE migration = 'rename_email' AND step = '1.orders.rename_customer_id_to_buyer_id.backfill';
  IF v_finished IS NOT NULL THEN
    RAISE NOTICE 'zerodown: backfill % already finished at %', '1.orders.rename_customer_id_to_buyer_id.backfill', v_finished;
    RETURN;
  END IF;
  IF v_end_0 IS NULL THEN
    SELECT "id" INTO v_end_0 FROM "orders" ORDER BY "id" DESC LIMIT 1;
    UPDATE zerodown.backfill_progress SET end_key = ARRAY[v_end_0::text] WHERE migration = 'rename_email' AND step = '1.orders.rename_customer_id_to_buyer_id.backfill';
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
            FROM (SELECT "id" FROM "orders" WHERE "id" <= zd.v_end_0 ORDER BY "id" LIMIT 10000) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "orders" AS zd_row SET "customer_id" = zd_row."customer_id"
              WHERE zd_row."id" <= zd.v_next_0
                AND (zd_row."buyer_id"::text IS DISTINCT FROM zd_row."customer_id"::text);
            GET DIAGNOSTICS v_touched = ROW_COUNT;
          END IF;
        ELSE
          SELECT "id" INTO v_next_0
            FROM (SELECT "id" FROM "orders" WHERE "id" > zd.v_last_0 AND "id" <= zd.v_end_0 ORDER BY "id" LIMIT 10000) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "orders" AS zd_row SET "customer_id" = zd_row."customer_id"
              WHERE zd_row."id" > zd.v_last_0 AND zd_row."id" <= zd.v_next_0
                AND (zd_row."buyer_id"::text IS DISTINCT FROM zd_row."customer_id"::text);
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
      WHERE migration = 'rename_email' AND step = '1.orders.rename_customer_id_to_buyer_id.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill %: batch % done, % rows written so far, last key %', '1.orders.rename_customer_id_to_buyer_id.backfill', v_batches, v_rows, v_last_0::text;
  END LOOP batches;
  IF v_next_0 IS NULL THEN
    UPDATE zerodown.backfill_progress SET finished_at = now(), updated_at = now() WHERE migration = 'rename_email' AND step = '1.orders.rename_customer_id_to_buyer_id.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill % finished: % rows written in % batches', '1.orders.rename_customer_id_to_buyer_id.backfill', v_rows, v_batches;
  ELSE
    RAISE NOTICE 'zerodown: backfill % paused after % batches (zerodown.max_batches); run the step again to continue', '1.orders.rename_customer_id_to_buyer_id.backfill', v_run;
  END IF;
END
$zerodown$;
RESET statement_timeout;

-- ─── Step 3 of 6 · build · 1.orders.rename_customer_id_to_buyer_id.add_fk_orders_customer_id_fkey
-- Add the foreign key zd_orders_customer_id_fkey NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: orders: SHARE ROW EXCLUSIVE (blocks writes, not reads), catalog only, held instant (catalog change, milliseconds)
-- Lock: customers: SHARE ROW EXCLUSIVE (blocks writes, not reads), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 3 of 6: Add the foreign key zd_orders_customer_id_fkey NOT VALID (checked for new writes only)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'zd_orders_customer_id_fkey') THEN
        ALTER TABLE "orders" ADD CONSTRAINT "zd_orders_customer_id_fkey" FOREIGN KEY ("buyer_id") REFERENCES "customers" ("id") NOT VALID;
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

-- ─── Step 4 of 6 · build · 1.orders.rename_customer_id_to_buyer_id.validate_fk_orders_customer_id_fkey
-- Validate zd_orders_customer_id_fkey against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: orders: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 51 s for 100,000,000 rows
-- Lock: customers: ROW SHARE (blocks neither reads nor writes), scans every row, held proportional to rows: about 51 s for 2,000,000 rows
-- If interrupted: The constraint stays NOT VALID: it is still enforced for new writes, and nothing else changes. The scan (which also looks each key up in customers) fails on a row whose key has no match in the referenced table (SQLSTATE 23503): find such rows with the pre-check's query, fix them, and run the script again.
\echo 'zerodown: step 4 of 6: Validate zd_orders_customer_id_fkey against the existing rows (reads and writes go on)'
ALTER TABLE "orders" VALIDATE CONSTRAINT "zd_orders_customer_id_fkey";

-- ─── Step 5 of 6 · build · 1.orders.rename_customer_id_to_buyer_id.repair_index_1
-- Drop zd_orders_customer_idx if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: orders: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 5 of 6: Drop zd_orders_customer_idx if an earlier build left it INVALID'
SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"zd_orders_customer_idx"') AND NOT indisvalid) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "zd_orders_customer_idx";
\else
\echo 'zerodown: step 5 not needed, skipped'
\endif

-- ─── Step 6 of 6 · build · 1.orders.rename_customer_id_to_buyer_id.index_1
-- Build zd_orders_customer_idx, the copy of the index orders_customer_idx on buyer_id, concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: orders: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 6 min 40 s for 100,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 6 of 6: Build zd_orders_customer_idx, the copy of the index orders_customer_idx on buyer_id, concurrently'
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "zd_orders_customer_idx" ON "orders" USING btree ("buyer_id");
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"zd_orders_customer_idx"') AND indisvalid
                 AND indrelid = '"orders"'::regclass AND indisunique = false) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'zd_orders_customer_idx'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;

\echo 'zerodown: up script complete'
