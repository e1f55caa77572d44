-- ════ up
-- zerodown · up
-- Migration: change_type
-- Author: ops@example.com
-- Date: 2026-12-07
-- Target: postgresql 18
-- Risk: MEDIUM
-- Estimated run time: 2 min 2 s
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand, backfill, build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 7 · expand · 1.items.change_type_qty.expand
-- Add zd_new_qty bigint and the trigger that fills it from qty on every write
-- Runs in one transaction.
-- Lock: items: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the column and the trigger are added in one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 7: Add zd_new_qty bigint and the trigger that fills it from qty on every write'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "items" ADD COLUMN IF NOT EXISTS "zd_new_qty" bigint;
      CREATE OR REPLACE FUNCTION "zd_type_items_qty"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $function$
      #variable_conflict use_column
      BEGIN
        NEW."zd_new_qty" := CAST(NEW."qty" AS bigint);
        RETURN NEW;
      END
      $function$;
      IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = '"items"'::regclass AND tgname = 'zd_type_items_qty') THEN
        CREATE TRIGGER "zd_type_items_qty" BEFORE INSERT OR UPDATE ON "items" FOR EACH ROW EXECUTE FUNCTION "zd_type_items_qty"();
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
\else
\echo 'zerodown: step 1 not needed, skipped'
\endif

-- ─── Step 2 of 7 · backfill · 1.items.change_type_qty.backfill
-- Fill zd_new_qty from qty in batches of 10,000
-- Runs statement by statement, outside any transaction.
-- Lock: items: ROW EXCLUSIVE (blocks neither reads nor writes), updates one batch of rows, held one batch at a time: about 200 ms per batch of 10,000 rows
-- If interrupted: Batches committed so far stay done; rows written since are filled by the trigger; running the step again resumes after the last committed batch (see zerodown.backfill_progress).
\echo 'zerodown: step 2 of 7: Fill zd_new_qty from qty in batches of 10,000'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) AS zerodown_run_step \gset
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
  INSERT INTO zerodown.backfill_progress (migration, step) VALUES ('change_type', '1.items.change_type_qty.backfill')
    ON CONFLICT (migration, step) DO NOTHING;
  SELECT last_key[1]::bigint, end_key[1]::bigint, rows_done, batches, finished_at
    INTO v_last_0, v_end_0, v_rows, v_batches, v_finished
    FROM zerodown.backfill_progress WHERE migration = 'change_type' AND step = '1.items.change_type_qty.backfill';
  IF v_finished IS NOT NULL THEN
    RAISE NOTICE 'zerodown: backfill % already finished at %', '1.items.change_type_qty.backfill', v_finished;
    RETURN;
  END IF;
  IF v_end_0 IS NULL THEN
    SELECT "id" INTO v_end_0 FROM "items" ORDER BY "id" DESC LIMIT 1;
    UPDATE zerodown.backfill_progress SET end_key = ARRAY[v_end_0::text] WHERE migration = 'change_type' AND step = '1.items.change_type_qty.backfill';
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
            FROM (SELECT "id" FROM "items" WHERE "id" <= zd.v_end_0 ORDER BY "id" LIMIT 10000) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "items" AS zd_row SET "zd_new_qty" = CAST("qty" AS bigint)
              WHERE zd_row."id" <= zd.v_next_0
                AND (zd_row."zd_new_qty" IS NULL AND zd_row."qty" IS NOT NULL);
            GET DIAGNOSTICS v_touched = ROW_COUNT;
          END IF;
        ELSE
          SELECT "id" INTO v_next_0
            FROM (SELECT "id" FROM "items" WHERE "id" > zd.v_last_0 AND "id" <= zd.v_end_0 ORDER BY "id" LIMIT 10000) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "items" AS zd_row SET "zd_new_qty" = CAST("qty" AS bigint)
              WHERE zd_row."id" > zd.v_last_0 AND zd_row."id" <= zd.v_next_0
                AND (zd_row."zd_new_qty" IS NULL AND zd_row."qty" IS NOT NULL);
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
      WHERE migration = 'change_type' AND step = '1.items.change_type_qty.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill %: batch % done, % rows written so far, last key %', '1.items.change_type_qty.backfill', v_batches, v_rows, v_last_0::text;
  END LOOP batches;
  IF v_next_0 IS NULL THEN
    UPDATE zerodown.backfill_progress SET finished_at = now(), updated_at = now() WHERE migration = 'change_type' AND step = '1.items.change_type_qty.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill % finished: % rows written in % batches', '1.items.change_type_qty.backfill', v_rows, v_batches;
  ELSE
    RAISE NOTICE 'zerodown: backfill % paused after % batches (zerodown.max_batches); run the step again to continue', '1.items.change_type_qty.backfill', v_run;
  END IF;
END
$zerodown$;
RESET statement_timeout;
\else
\echo 'zerodown: step 2 not needed, skipped'
\endif

-- ─── Step 3 of 7 · build · 1.items.change_type_qty.repair_index_zd_new_items_qty
-- Drop zd_new_items_qty if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: items: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 3 of 7: Drop zd_new_items_qty if an earlier build left it INVALID'
SELECT (SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"zd_new_items_qty"') AND NOT indisvalid)) AND NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "zd_new_items_qty";
\else
\echo 'zerodown: step 3 not needed, skipped'
\endif

-- ─── Step 4 of 7 · build · 1.items.change_type_qty.index_zd_new_items_qty
-- Build zd_new_items_qty on zd_new_qty concurrently (a copy of the index on qty)
-- Runs statement by statement, outside any transaction.
-- Lock: items: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 20 s for 5,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 4 of 7: Build zd_new_items_qty on zd_new_qty concurrently (a copy of the index on qty)'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "zd_new_items_qty" ON "items" USING btree ("zd_new_qty" DESC, "id");
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"zd_new_items_qty"') AND indisvalid
                 AND indrelid = '"items"'::regclass AND indisunique = false) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'zd_new_items_qty'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;
\else
\echo 'zerodown: step 4 not needed, skipped'
\endif

-- ─── Step 5 of 7 · build · 1.items.change_type_qty.new_add_not_null
-- Add the NOT NULL constraint items_zd_new_qty_not_null on items.zd_new_qty NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: items: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 5 of 7: Add the NOT NULL constraint items_zd_new_qty_not_null on items.zd_new_qty NOT VALID (checked for new writes only)'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_new_qty' AND attnotnull) THEN
        ALTER TABLE "items" ADD CONSTRAINT "items_zd_new_qty_not_null" NOT NULL "zd_new_qty" NOT VALID;
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
\else
\echo 'zerodown: step 5 not needed, skipped'
\endif

-- ─── Step 6 of 7 · build · 1.items.change_type_qty.new_validate_not_null
-- Validate the NOT NULL constraint items_zd_new_qty_not_null against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: items: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 2 s for 5,000,000 rows
-- If interrupted: The constraint stays NOT VALID: new writes of NULL are already rejected. The scan fails on a row whose zd_new_qty is NULL (SQLSTATE 23502): fill those rows and run the script again.
\echo 'zerodown: step 6 of 7: Validate the NOT NULL constraint items_zd_new_qty_not_null against the existing rows (reads and writes go on)'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"items"'::regclass AND conname = 'items_zd_new_qty_not_null' AND NOT convalidated) THEN
    ALTER TABLE "items" VALIDATE CONSTRAINT "items_zd_new_qty_not_null";
  END IF;
END
$zerodown$;
\else
\echo 'zerodown: step 6 not needed, skipped'
\endif

-- ─── Step 7 of 7 · build · 1.items.change_type_qty.swap
-- Swap: qty becomes zd_old_qty, zd_new_qty becomes qty; the default moves; the indexes are renamed; the trigger now fills zd_old_qty from qty
-- Runs in one transaction.
-- Lock: items: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the swap is one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 7 of 7: Swap: qty becomes zd_old_qty, zd_new_qty becomes qty; the default moves; the indexes are renamed; the trigger now fills zd_old_qty from qty'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) THEN
        ALTER TABLE "items" RENAME COLUMN "qty" TO "zd_old_qty";
        ALTER TABLE "items" RENAME COLUMN "zd_new_qty" TO "qty";
        ALTER TABLE "items" ALTER COLUMN "zd_old_qty" DROP DEFAULT, ALTER COLUMN "qty" SET DEFAULT 0, ALTER COLUMN "zd_old_qty" DROP NOT NULL;
        ALTER INDEX "items_qty" RENAME TO "zd_old_items_qty";
        ALTER INDEX "zd_new_items_qty" RENAME TO "items_qty";
        CREATE OR REPLACE FUNCTION "zd_type_items_qty"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $function$
        #variable_conflict use_column
        BEGIN
          BEGIN
            NEW."zd_old_qty" := CAST(NEW."qty" AS integer);
          EXCEPTION WHEN OTHERS THEN
            -- a value the old type cannot hold: kept as NULL, which the down script refuses to lose silently
            NEW."zd_old_qty" := NULL;
          END;
          RETURN NEW;
        END
        $function$;
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

-- ════ contract
-- zerodown · contract
-- Migration: change_type
-- Author: ops@example.com
-- Date: 2026-12-07
-- Target: postgresql 18
-- Run: no earlier than 2026-12-14 (the 7 days rollback period), and only once no deployed code uses what it removes
-- Estimated run time: 50 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Reversible: no; once it has run, the down script no longer applies
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · contract · 1.items.change_type_qty.contract
-- Drop the sync trigger and the old column zd_old_qty with its indexes
-- Runs in one transaction.
-- Lock: items: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 1 of 1: Drop the sync trigger and the old column zd_old_qty with its indexes'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      DROP TRIGGER IF EXISTS "zd_type_items_qty" ON "items";
      DROP FUNCTION IF EXISTS "zd_type_items_qty"();
      ALTER TABLE "items" DROP COLUMN IF EXISTS "zd_old_qty";
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

\echo 'zerodown: contract script complete'

-- ════ down
-- zerodown · down
-- Migration: change_type
-- Author: ops@example.com
-- Date: 2026-12-07
-- Target: postgresql 18
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 8 · build · 1.items.change_type_qty.undo_check
-- Check that every value of items.qty is kept in zd_old_qty as integer
-- Runs in one transaction.
-- Lock: items: ACCESS SHARE (blocks neither reads nor writes), scans every row, held proportional to rows: about 2 s for 5,000,000 rows
-- If interrupted: Nothing is changed: the check only reads. It stops the down script while such a value exists.
\echo 'zerodown: step 1 of 8: Check that every value of items.qty is kept in zd_old_qty as integer'
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) THEN
    IF EXISTS (SELECT FROM "items" WHERE "qty" IS DISTINCT FROM CAST("zd_old_qty" AS bigint)) THEN
      RAISE EXCEPTION USING MESSAGE = 'zerodown: some values of items.qty cannot be held by integer (written since the swap): swapping back would lose them',
        HINT = 'List them with: SELECT * FROM "items" WHERE "qty" IS DISTINCT FROM CAST("zd_old_qty" AS bigint); change or delete them (the trigger then keeps zd_old_qty in step), then run the down script again.';
    END IF;
  END IF;
END
$zerodown$;

-- ─── Step 2 of 8 · build · 1.items.change_type_qty.undo_old_add_not_null
-- Add the NOT NULL constraint items_zd_old_qty_not_null on items.zd_old_qty NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: items: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 2 of 8: Add the NOT NULL constraint items_zd_old_qty_not_null on items.zd_old_qty NOT VALID (checked for new writes only)'
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND attnotnull) THEN
        ALTER TABLE "items" ADD CONSTRAINT "items_zd_old_qty_not_null" NOT NULL "zd_old_qty" NOT VALID;
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
\else
\echo 'zerodown: step 2 not needed, skipped'
\endif

-- ─── Step 3 of 8 · build · 1.items.change_type_qty.undo_old_validate_not_null
-- Validate the NOT NULL constraint items_zd_old_qty_not_null against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: items: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 2 s for 5,000,000 rows
-- If interrupted: The constraint stays NOT VALID: new writes of NULL are already rejected. The scan fails on a row whose zd_old_qty is NULL (SQLSTATE 23502): fill those rows and run the script again.
\echo 'zerodown: step 3 of 8: Validate the NOT NULL constraint items_zd_old_qty_not_null against the existing rows (reads and writes go on)'
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"items"'::regclass AND conname = 'items_zd_old_qty_not_null' AND NOT convalidated) THEN
    ALTER TABLE "items" VALIDATE CONSTRAINT "items_zd_old_qty_not_null";
  END IF;
END
$zerodown$;
\else
\echo 'zerodown: step 3 not needed, skipped'
\endif

-- ─── Step 4 of 8 · build · 1.items.change_type_qty.undo_swap
-- Swap back: qty becomes zd_new_qty again and zd_old_qty becomes qty
-- Runs in one transaction.
-- Lock: items: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the swap back is one transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 4 of 8: Swap back: qty becomes zd_new_qty again and zd_old_qty becomes qty'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_old_qty' AND NOT attisdropped) THEN
        ALTER TABLE "items" ALTER COLUMN "qty" DROP DEFAULT, ALTER COLUMN "zd_old_qty" SET DEFAULT 0;
        ALTER TABLE "items" RENAME COLUMN "qty" TO "zd_new_qty";
        ALTER TABLE "items" RENAME COLUMN "zd_old_qty" TO "qty";
        ALTER INDEX "items_qty" RENAME TO "zd_new_items_qty";
        ALTER INDEX "zd_old_items_qty" RENAME TO "items_qty";
        CREATE OR REPLACE FUNCTION "zd_type_items_qty"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $function$
        #variable_conflict use_column
        BEGIN
          NEW."zd_new_qty" := CAST(NEW."qty" AS bigint);
          RETURN NEW;
        END
        $function$;
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

-- ─── Step 5 of 8 · build · 1.items.change_type_qty.new_undo_set_not_null
-- Allow NULL in items.zd_new_qty
-- Runs in one transaction.
-- Lock: items: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 5 of 8: Allow NULL in items.zd_new_qty'
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'zd_new_qty' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "items" ALTER COLUMN "zd_new_qty" DROP NOT NULL;
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
\else
\echo 'zerodown: step 5 not needed, skipped'
\endif

-- ─── Step 6 of 8 · build · 1.items.change_type_qty.undo_index_zd_new_items_qty
-- Drop zd_new_items_qty concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: items: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID; run the down script again.
\echo 'zerodown: step 6 of 8: Drop zd_new_items_qty concurrently'
DROP INDEX CONCURRENTLY IF EXISTS "zd_new_items_qty";

-- ─── Step 7 of 8 · backfill · 1.items.change_type_qty.undo_backfill
-- Forget the backfill's progress, so that a new up script fills the column again
-- Runs in one transaction.
-- If interrupted: Nothing is changed: the step runs in one transaction, which rolls back as a whole.
\echo 'zerodown: step 7 of 8: Forget the backfill''s progress, so that a new up script fills the column again'
DO $zerodown$
BEGIN
  IF to_regclass('zerodown.backfill_progress') IS NOT NULL THEN
    DELETE FROM zerodown.backfill_progress WHERE migration = 'change_type' AND step = '1.items.change_type_qty.backfill';
  END IF;
END
$zerodown$;

-- ─── Step 8 of 8 · expand · 1.items.change_type_qty.undo_expand
-- Drop the sync trigger and the column zd_new_qty
-- Runs in one transaction.
-- Lock: items: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 8 of 8: Drop the sync trigger and the column zd_new_qty'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      DROP TRIGGER IF EXISTS "zd_type_items_qty" ON "items";
      DROP FUNCTION IF EXISTS "zd_type_items_qty"();
      ALTER TABLE "items" DROP COLUMN IF EXISTS "zd_new_qty";
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
-- items.qty has the type bigint.
-- expect: true
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'qty' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'bigint');

-- The trigger that keeps zd_old_qty in step exists and is enabled (until the contract phase).
-- expect: 1
SELECT count(*) FROM pg_trigger WHERE tgrelid = '"items"'::regclass AND tgname = 'zd_type_items_qty' AND tgenabled = 'O';

-- The backfill finished.
-- expect: 1
SELECT count(*) FROM zerodown.backfill_progress WHERE migration = 'change_type' AND step = '1.items.change_type_qty.backfill' AND finished_at IS NOT NULL;

-- Every row's qty is the conversion of its old value (holds until the application writes values integer cannot hold).
-- expect: 0
SELECT count(*) FROM "items" WHERE "qty" IS DISTINCT FROM CAST("zd_old_qty" AS bigint);

-- ════ pre-checks of the operation
-- The names zd_new_qty and zd_old_qty are free on items (on a re-run after an interruption one exists: that is expected).
-- expect: 0
SELECT count(*) FROM pg_attribute WHERE attrelid = '"items"'::regclass AND NOT attisdropped AND attname IN ('zd_new_qty', 'zd_old_qty');

-- No other trigger on items has a function that names qty (one that writes it could fight the sync trigger).
-- expect: 0
SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE t.tgrelid = '"items"'::regclass AND NOT t.tgisinternal AND t.tgname <> 'zd_type_items_qty' AND (p.prosrc ~* '\mqty\M');

-- The conversion to bigint works on items's rows (on a sample of 10,000 rows).
-- expect: true
SELECT count(zd_value) >= 0 FROM (SELECT CAST("qty" AS bigint) AS zd_value FROM "items" LIMIT 10000) AS zd_sample;

-- No view or rule reads items.qty.
-- expect: 0
SELECT count(*) FROM pg_depend WHERE classid = 'pg_rewrite'::regclass AND refobjid = '"items"'::regclass
  AND refobjsubid = (SELECT attnum FROM pg_attribute WHERE attrelid = '"items"'::regclass AND attname = 'qty');

-- items is an ordinary table, not a partitioned one.
-- expect: true
SELECT relkind = 'r' FROM pg_class WHERE oid = '"items"'::regclass;
