-- ════ up
-- zerodown · up
-- Migration: change_type
-- Author: ops@example.com
-- Date: 2026-12-07
-- Target: postgresql 15
-- Risk: MEDIUM
-- Estimated run time: 25 s
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand, backfill, build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 9 · expand · 1.accounts.change_type_id.expand
-- Add zd_new_id bigint and the trigger that fills it from id on every write
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the column and the trigger are added in one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 9: Add zd_new_id bigint and the trigger that fills it from id on every write'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "accounts" ADD COLUMN IF NOT EXISTS "zd_new_id" bigint;
      CREATE OR REPLACE FUNCTION "zd_type_accounts_id"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $function$
      #variable_conflict use_column
      BEGIN
        NEW."zd_new_id" := CAST(NEW."id" AS bigint);
        RETURN NEW;
      END
      $function$;
      IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = '"accounts"'::regclass AND tgname = 'zd_type_accounts_id') THEN
        CREATE TRIGGER "zd_type_accounts_id" BEFORE INSERT OR UPDATE ON "accounts" FOR EACH ROW EXECUTE FUNCTION "zd_type_accounts_id"();
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

-- ─── Step 2 of 9 · backfill · 1.accounts.change_type_id.backfill
-- Fill zd_new_id from id in batches of 200
-- Runs statement by statement, outside any transaction.
-- Lock: accounts: ROW EXCLUSIVE (blocks neither reads nor writes), updates one batch of rows, held one batch at a time: about 4 ms per batch of 200 rows
-- If interrupted: Batches committed so far stay done; rows written since are filled by the trigger; running the step again resumes after the last committed batch (see zerodown.backfill_progress).
\echo 'zerodown: step 2 of 9: Fill zd_new_id from id in batches of 200'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
SET statement_timeout = 0;
DO $zerodown$
#variable_conflict use_column
<<zd>>
DECLARE
  v_last_0 integer;
  v_next_0 integer;
  v_end_0 integer;
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
  INSERT INTO zerodown.backfill_progress (migration, step) VALUES ('change_type', '1.accounts.change_type_id.backfill')
    ON CONFLICT (migration, step) DO NOTHING;
  SELECT last_key[1]::integer, end_key[1]::integer, rows_done, batches, finished_at
    INTO v_last_0, v_end_0, v_rows, v_batches, v_finished
    FROM zerodown.backfill_progress WHERE migration = 'change_type' AND step = '1.accounts.change_type_id.backfill';
  IF v_finished IS NOT NULL THEN
    RAISE NOTICE 'zerodown: backfill % already finished at %', '1.accounts.change_type_id.backfill', v_finished;
    RETURN;
  END IF;
  IF v_end_0 IS NULL THEN
    SELECT "id" INTO v_end_0 FROM "accounts" ORDER BY "id" DESC LIMIT 1;
    UPDATE zerodown.backfill_progress SET end_key = ARRAY[v_end_0::text] WHERE migration = 'change_type' AND step = '1.accounts.change_type_id.backfill';
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
            FROM (SELECT "id" FROM "accounts" WHERE "id" <= zd.v_end_0 ORDER BY "id" LIMIT 200) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "accounts" AS zd_row SET "zd_new_id" = CAST("id" AS bigint)
              WHERE zd_row."id" <= zd.v_next_0
                AND (zd_row."zd_new_id" IS NULL AND zd_row."id" IS NOT NULL);
            GET DIAGNOSTICS v_touched = ROW_COUNT;
          END IF;
        ELSE
          SELECT "id" INTO v_next_0
            FROM (SELECT "id" FROM "accounts" WHERE "id" > zd.v_last_0 AND "id" <= zd.v_end_0 ORDER BY "id" LIMIT 200) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "accounts" AS zd_row SET "zd_new_id" = CAST("id" AS bigint)
              WHERE zd_row."id" > zd.v_last_0 AND zd_row."id" <= zd.v_next_0
                AND (zd_row."zd_new_id" IS NULL AND zd_row."id" IS NOT NULL);
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
      WHERE migration = 'change_type' AND step = '1.accounts.change_type_id.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill %: batch % done, % rows written so far, last key %', '1.accounts.change_type_id.backfill', v_batches, v_rows, v_last_0::text;
  END LOOP batches;
  IF v_next_0 IS NULL THEN
    UPDATE zerodown.backfill_progress SET finished_at = now(), updated_at = now() WHERE migration = 'change_type' AND step = '1.accounts.change_type_id.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill % finished: % rows written in % batches', '1.accounts.change_type_id.backfill', v_rows, v_batches;
  ELSE
    RAISE NOTICE 'zerodown: backfill % paused after % batches (zerodown.max_batches); run the step again to continue', '1.accounts.change_type_id.backfill', v_run;
  END IF;
END
$zerodown$;
RESET statement_timeout;
\else
\echo 'zerodown: step 2 not needed, skipped'
\endif

-- ─── Step 3 of 9 · build · 1.accounts.change_type_id.repair_key_index_accounts_pkey
-- Drop zd_new_accounts_pkey if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: accounts: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 3 of 9: Drop zd_new_accounts_pkey if an earlier build left it INVALID'
SELECT (SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"zd_new_accounts_pkey"') AND NOT indisvalid)) AND NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "zd_new_accounts_pkey";
\else
\echo 'zerodown: step 3 not needed, skipped'
\endif

-- ─── Step 4 of 9 · build · 1.accounts.change_type_id.key_index_accounts_pkey
-- Build the unique index zd_new_accounts_pkey on zd_new_id concurrently (the index of accounts_pkey on the new column)
-- Runs statement by statement, outside any transaction.
-- Lock: accounts: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 4 s for 1,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it and, once it was ready, check their keys against it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 4 of 9: Build the unique index zd_new_accounts_pkey on zd_new_id concurrently (the index of accounts_pkey on the new column)'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "zd_new_accounts_pkey" ON "accounts" USING btree ("zd_new_id");
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"zd_new_accounts_pkey"') AND indisvalid
                 AND indrelid = '"accounts"'::regclass AND indisunique = true) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'zd_new_accounts_pkey'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;
\else
\echo 'zerodown: step 4 not needed, skipped'
\endif

-- ─── Step 5 of 9 · build · 1.accounts.change_type_id.new_add_check
-- Add the temporary check accounts_zd_new_id_not_null (zd_new_id IS NOT NULL) NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the check is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 5 of 9: Add the temporary check accounts_zd_new_id_not_null (zd_new_id IS NOT NULL) NOT VALID (checked for new writes only)'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_new_id' AND attnotnull) AND NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"accounts"'::regclass AND conname = 'accounts_zd_new_id_not_null') THEN
        ALTER TABLE "accounts" ADD CONSTRAINT "accounts_zd_new_id_not_null" CHECK ("zd_new_id" IS NOT NULL) NOT VALID;
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

-- ─── Step 6 of 9 · build · 1.accounts.change_type_id.new_validate_check
-- Validate the check accounts_zd_new_id_not_null against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: accounts: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: The check stays NOT VALID: new writes of NULL are already rejected. The scan fails on a row whose zd_new_id is NULL (SQLSTATE 23514): fill those rows and run the script again.
\echo 'zerodown: step 6 of 9: Validate the check accounts_zd_new_id_not_null against the existing rows (reads and writes go on)'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"accounts"'::regclass AND conname = 'accounts_zd_new_id_not_null' AND NOT convalidated) THEN
    ALTER TABLE "accounts" VALIDATE CONSTRAINT "accounts_zd_new_id_not_null";
  END IF;
END
$zerodown$;
\else
\echo 'zerodown: step 6 not needed, skipped'
\endif

-- ─── Step 7 of 9 · build · 1.accounts.change_type_id.new_set_not_null
-- Set accounts.zd_new_id NOT NULL (proved by the valid check: no scan) and drop the check accounts_zd_new_id_not_null
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: both statements run in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 7 of 9: Set accounts.zd_new_id NOT NULL (proved by the valid check: no scan) and drop the check accounts_zd_new_id_not_null'
SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_new_id' AND attnotnull) THEN
        IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"accounts"'::regclass AND conname = 'accounts_zd_new_id_not_null' AND convalidated) THEN
          RAISE EXCEPTION 'zerodown: the check % on % is missing or not validated, so SET NOT NULL would scan the table under ACCESS EXCLUSIVE', 'accounts_zd_new_id_not_null', 'accounts'
            USING HINT = 'Run the script again from the start: the check is added and validated first.';
        END IF;
        ALTER TABLE "accounts" ALTER COLUMN "zd_new_id" SET NOT NULL;
      END IF;
      ALTER TABLE "accounts" DROP CONSTRAINT IF EXISTS "accounts_zd_new_id_not_null";
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
\echo 'zerodown: step 7 not needed, skipped'
\endif

-- ─── Step 8 of 9 · build · 1.accounts.change_type_id.swap
-- Swap: id becomes zd_old_id, zd_new_id becomes id; the default and the sequence move; accounts_pkey moves to the new column; orders_account_id_fkey are added again NOT VALID; the trigger now fills zd_old_id from id
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- Lock: orders: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the swap is one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 8 of 9: Swap: id becomes zd_old_id, zd_new_id becomes id; the default and the sequence move; accounts_pkey moves to the new column; orders_account_id_fkey are added again NOT VALID; the trigger now fills zd_old_id from id'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) THEN
        ALTER TABLE "orders" DROP CONSTRAINT "orders_account_id_fkey";
        ALTER TABLE "accounts" DROP CONSTRAINT "accounts_pkey";
        ALTER TABLE "accounts" RENAME COLUMN "id" TO "zd_old_id";
        ALTER TABLE "accounts" RENAME COLUMN "zd_new_id" TO "id";
        ALTER TABLE "accounts" ALTER COLUMN "zd_old_id" DROP DEFAULT, ALTER COLUMN "id" SET DEFAULT nextval('accounts_id_seq'::regclass), ALTER COLUMN "zd_old_id" DROP NOT NULL;
        ALTER SEQUENCE "accounts_id_seq" OWNED BY "accounts"."id";
        ALTER SEQUENCE "accounts_id_seq" AS bigint;
        ALTER TABLE "accounts" ADD CONSTRAINT "accounts_pkey" PRIMARY KEY USING INDEX "zd_new_accounts_pkey";
        ALTER TABLE "orders" ADD CONSTRAINT "orders_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") NOT VALID;
        CREATE OR REPLACE FUNCTION "zd_type_accounts_id"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $function$
        #variable_conflict use_column
        BEGIN
          BEGIN
            NEW."zd_old_id" := CAST(NEW."id" AS integer);
          EXCEPTION WHEN OTHERS THEN
            -- a value the old type cannot hold: kept as NULL, which the down script refuses to lose silently
            NEW."zd_old_id" := NULL;
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

-- ─── Step 9 of 9 · build · 1.accounts.change_type_id.validate_orders_account_id_fkey
-- Validate orders_account_id_fkey against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: orders: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- Lock: accounts: ROW SHARE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: The constraint stays NOT VALID: it is still enforced for new writes, and nothing else changes. The scan (which also looks each key up in accounts) fails on a row whose key has no match in the referenced table (SQLSTATE 23503): find such rows with the pre-check's query, fix them, and run the script again.
\echo 'zerodown: step 9 of 9: Validate orders_account_id_fkey against the existing rows (reads and writes go on)'
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_account_id_fkey";

\echo 'zerodown: up script complete'

-- ════ contract
-- zerodown · contract
-- Migration: change_type
-- Author: ops@example.com
-- Date: 2026-12-07
-- Target: postgresql 15
-- Run: no earlier than 2026-12-14 (the 7 days rollback period), and only once no deployed code uses what it removes
-- Estimated run time: 50 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Reversible: no; once it has run, the down script no longer applies
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · contract · 1.accounts.change_type_id.contract
-- Drop the sync trigger and the old column zd_old_id
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 1 of 1: Drop the sync trigger and the old column zd_old_id'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      DROP TRIGGER IF EXISTS "zd_type_accounts_id" ON "accounts";
      DROP FUNCTION IF EXISTS "zd_type_accounts_id"();
      ALTER TABLE "accounts" DROP COLUMN IF EXISTS "zd_old_id";
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
-- Target: postgresql 15
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 13 · build · 1.accounts.change_type_id.undo_check
-- Check that every value of accounts.id is kept in zd_old_id as integer
-- Runs in one transaction.
-- Lock: accounts: ACCESS SHARE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: Nothing is changed: the check only reads. It stops the down script while such a value exists.
\echo 'zerodown: step 1 of 13: Check that every value of accounts.id is kept in zd_old_id as integer'
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) THEN
    IF EXISTS (SELECT FROM "accounts" WHERE "id" IS DISTINCT FROM CAST("zd_old_id" AS bigint)) THEN
      RAISE EXCEPTION USING MESSAGE = 'zerodown: some values of accounts.id cannot be held by integer (written since the swap): swapping back would lose them',
        HINT = 'List them with: SELECT * FROM "accounts" WHERE "id" IS DISTINCT FROM CAST("zd_old_id" AS bigint); change or delete them (the trigger then keeps zd_old_id in step), then run the down script again.';
    END IF;
  END IF;
END
$zerodown$;

-- ─── Step 2 of 13 · build · 1.accounts.change_type_id.repair_undo_old_key_index_accounts_pkey
-- Drop zd_old_accounts_pkey if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: accounts: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 2 of 13: Drop zd_old_accounts_pkey if an earlier build left it INVALID'
SELECT (SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"zd_old_accounts_pkey"') AND NOT indisvalid)) AND EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "zd_old_accounts_pkey";
\else
\echo 'zerodown: step 2 not needed, skipped'
\endif

-- ─── Step 3 of 13 · build · 1.accounts.change_type_id.undo_old_key_index_accounts_pkey
-- Build the unique index zd_old_accounts_pkey on zd_old_id concurrently (the index of accounts_pkey on the old column again)
-- Runs statement by statement, outside any transaction.
-- Lock: accounts: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 4 s for 1,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it and, once it was ready, check their keys against it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 3 of 13: Build the unique index zd_old_accounts_pkey on zd_old_id concurrently (the index of accounts_pkey on the old column again)'
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "zd_old_accounts_pkey" ON "accounts" USING btree ("zd_old_id");
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"zd_old_accounts_pkey"') AND indisvalid
                 AND indrelid = '"accounts"'::regclass AND indisunique = true) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'zd_old_accounts_pkey'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;
\else
\echo 'zerodown: step 3 not needed, skipped'
\endif

-- ─── Step 4 of 13 · build · 1.accounts.change_type_id.undo_old_add_check
-- Add the temporary check accounts_zd_old_id_not_null (zd_old_id IS NOT NULL) NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the check is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 4 of 13: Add the temporary check accounts_zd_old_id_not_null (zd_old_id IS NOT NULL) NOT VALID (checked for new writes only)'
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND attnotnull) AND NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"accounts"'::regclass AND conname = 'accounts_zd_old_id_not_null') THEN
        ALTER TABLE "accounts" ADD CONSTRAINT "accounts_zd_old_id_not_null" CHECK ("zd_old_id" IS NOT NULL) NOT VALID;
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
\echo 'zerodown: step 4 not needed, skipped'
\endif

-- ─── Step 5 of 13 · build · 1.accounts.change_type_id.undo_old_validate_check
-- Validate the check accounts_zd_old_id_not_null against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: accounts: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: The check stays NOT VALID: new writes of NULL are already rejected. The scan fails on a row whose zd_old_id is NULL (SQLSTATE 23514): fill those rows and run the script again.
\echo 'zerodown: step 5 of 13: Validate the check accounts_zd_old_id_not_null against the existing rows (reads and writes go on)'
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"accounts"'::regclass AND conname = 'accounts_zd_old_id_not_null' AND NOT convalidated) THEN
    ALTER TABLE "accounts" VALIDATE CONSTRAINT "accounts_zd_old_id_not_null";
  END IF;
END
$zerodown$;
\else
\echo 'zerodown: step 5 not needed, skipped'
\endif

-- ─── Step 6 of 13 · build · 1.accounts.change_type_id.undo_old_set_not_null
-- Set accounts.zd_old_id NOT NULL (proved by the valid check: no scan) and drop the check accounts_zd_old_id_not_null
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: both statements run in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 6 of 13: Set accounts.zd_old_id NOT NULL (proved by the valid check: no scan) and drop the check accounts_zd_old_id_not_null'
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND attnotnull) THEN
        IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"accounts"'::regclass AND conname = 'accounts_zd_old_id_not_null' AND convalidated) THEN
          RAISE EXCEPTION 'zerodown: the check % on % is missing or not validated, so SET NOT NULL would scan the table under ACCESS EXCLUSIVE', 'accounts_zd_old_id_not_null', 'accounts'
            USING HINT = 'Run the script again from the start: the check is added and validated first.';
        END IF;
        ALTER TABLE "accounts" ALTER COLUMN "zd_old_id" SET NOT NULL;
      END IF;
      ALTER TABLE "accounts" DROP CONSTRAINT IF EXISTS "accounts_zd_old_id_not_null";
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
\echo 'zerodown: step 6 not needed, skipped'
\endif

-- ─── Step 7 of 13 · build · 1.accounts.change_type_id.undo_swap
-- Swap back: id becomes zd_new_id again and zd_old_id becomes id, with accounts_pkey; orders_account_id_fkey added again NOT VALID
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- Lock: orders: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the swap back is one transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 7 of 13: Swap back: id becomes zd_new_id again and zd_old_id becomes id, with accounts_pkey; orders_account_id_fkey added again NOT VALID'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_old_id' AND NOT attisdropped) THEN
        ALTER TABLE "orders" DROP CONSTRAINT "orders_account_id_fkey";
        ALTER TABLE "accounts" DROP CONSTRAINT "accounts_pkey";
        ALTER TABLE "accounts" ALTER COLUMN "id" DROP DEFAULT, ALTER COLUMN "zd_old_id" SET DEFAULT nextval('accounts_id_seq'::regclass);
        ALTER TABLE "accounts" RENAME COLUMN "id" TO "zd_new_id";
        ALTER TABLE "accounts" RENAME COLUMN "zd_old_id" TO "id";
        ALTER SEQUENCE "accounts_id_seq" OWNED BY "accounts"."id";
        ALTER SEQUENCE "accounts_id_seq" AS integer;
        ALTER TABLE "accounts" ADD CONSTRAINT "accounts_pkey" PRIMARY KEY USING INDEX "zd_old_accounts_pkey";
        ALTER TABLE "orders" ADD CONSTRAINT "orders_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") NOT VALID;
        CREATE OR REPLACE FUNCTION "zd_type_accounts_id"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $function$
        #variable_conflict use_column
        BEGIN
          NEW."zd_new_id" := CAST(NEW."id" AS bigint);
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

-- ─── Step 8 of 13 · build · 1.accounts.change_type_id.undo_validate_orders_account_id_fkey
-- Validate orders_account_id_fkey against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: orders: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- Lock: accounts: ROW SHARE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: The constraint stays NOT VALID: it is still enforced for new writes, and nothing else changes. The scan (which also looks each key up in accounts) fails on a row whose key has no match in the referenced table (SQLSTATE 23503): find such rows with the pre-check's query, fix them, and run the script again.
\echo 'zerodown: step 8 of 13: Validate orders_account_id_fkey against the existing rows (reads and writes go on)'
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_account_id_fkey";

-- ─── Step 9 of 13 · build · 1.accounts.change_type_id.new_undo_set_not_null
-- Allow NULL in accounts.zd_new_id
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 9 of 13: Allow NULL in accounts.zd_new_id'
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_new_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "accounts" ALTER COLUMN "zd_new_id" DROP NOT NULL;
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
\echo 'zerodown: step 9 not needed, skipped'
\endif

-- ─── Step 10 of 13 · build · 1.accounts.change_type_id.new_undo_add_check
-- Drop the temporary check accounts_zd_new_id_not_null if an interrupted up script left it
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction. Run it again.
\echo 'zerodown: step 10 of 13: Drop the temporary check accounts_zd_new_id_not_null if an interrupted up script left it'
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'zd_new_id' AND NOT attisdropped) AS zerodown_run_step \gset
\if :zerodown_run_step
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "accounts" DROP CONSTRAINT IF EXISTS "accounts_zd_new_id_not_null";
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
\echo 'zerodown: step 10 not needed, skipped'
\endif

-- ─── Step 11 of 13 · build · 1.accounts.change_type_id.undo_key_index_accounts_pkey
-- Drop zd_new_accounts_pkey concurrently, if an interrupted up script left it
-- Runs statement by statement, outside any transaction.
-- Lock: accounts: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID; run the down script again.
\echo 'zerodown: step 11 of 13: Drop zd_new_accounts_pkey concurrently, if an interrupted up script left it'
SELECT to_regclass('"zd_new_accounts_pkey"') IS NOT NULL AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "zd_new_accounts_pkey";
\else
\echo 'zerodown: step 11 not needed, skipped'
\endif

-- ─── Step 12 of 13 · backfill · 1.accounts.change_type_id.undo_backfill
-- Forget the backfill's progress, so that a new up script fills the column again
-- Runs in one transaction.
-- If interrupted: Nothing is changed: the step runs in one transaction, which rolls back as a whole.
\echo 'zerodown: step 12 of 13: Forget the backfill''s progress, so that a new up script fills the column again'
DO $zerodown$
BEGIN
  IF to_regclass('zerodown.backfill_progress') IS NOT NULL THEN
    DELETE FROM zerodown.backfill_progress WHERE migration = 'change_type' AND step = '1.accounts.change_type_id.backfill';
  END IF;
END
$zerodown$;

-- ─── Step 13 of 13 · expand · 1.accounts.change_type_id.undo_expand
-- Drop the sync trigger and the column zd_new_id
-- Runs in one transaction.
-- Lock: accounts: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 13 of 13: Drop the sync trigger and the column zd_new_id'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      DROP TRIGGER IF EXISTS "zd_type_accounts_id" ON "accounts";
      DROP FUNCTION IF EXISTS "zd_type_accounts_id"();
      ALTER TABLE "accounts" DROP COLUMN IF EXISTS "zd_new_id";
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
-- accounts.id has the type bigint.
-- expect: true
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'id' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'bigint');

-- The trigger that keeps zd_old_id in step exists and is enabled (until the contract phase).
-- expect: 1
SELECT count(*) FROM pg_trigger WHERE tgrelid = '"accounts"'::regclass AND tgname = 'zd_type_accounts_id' AND tgenabled = 'O';

-- The primary key accounts_pkey is on the new id.
-- expect: 1
SELECT count(*) FROM pg_constraint WHERE conrelid = '"accounts"'::regclass AND contype IN ('p', 'u') AND conname = 'accounts_pkey'
  AND conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'id')];

-- The constraint orders_account_id_fkey of orders exists and is validated.
-- expect: 1
SELECT count(*) FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_account_id_fkey' AND convalidated;

-- The backfill finished.
-- expect: 1
SELECT count(*) FROM zerodown.backfill_progress WHERE migration = 'change_type' AND step = '1.accounts.change_type_id.backfill' AND finished_at IS NOT NULL;

-- Every row's id is the conversion of its old value (holds until the application writes values integer cannot hold).
-- expect: 0
SELECT count(*) FROM "accounts" WHERE "id" IS DISTINCT FROM CAST("zd_old_id" AS bigint);

-- ════ pre-checks of the operation
-- The names zd_new_id and zd_old_id are free on accounts (on a re-run after an interruption one exists: that is expected).
-- expect: 0
SELECT count(*) FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND NOT attisdropped AND attname IN ('zd_new_id', 'zd_old_id');

-- No other trigger on accounts has a function that names id (one that writes it could fight the sync trigger).
-- expect: 0
SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE t.tgrelid = '"accounts"'::regclass AND NOT t.tgisinternal AND t.tgname <> 'zd_type_accounts_id' AND (p.prosrc ~* '\mid\M');

-- The conversion to bigint works on accounts's rows (on a sample of 10,000 rows).
-- expect: true
SELECT count(zd_value) >= 0 FROM (SELECT CAST("id" AS bigint) AS zd_value FROM "accounts" LIMIT 10000) AS zd_sample;

-- No view or rule reads accounts.id.
-- expect: 0
SELECT count(*) FROM pg_depend WHERE classid = 'pg_rewrite'::regclass AND refobjid = '"accounts"'::regclass
  AND refobjsubid = (SELECT attnum FROM pg_attribute WHERE attrelid = '"accounts"'::regclass AND attname = 'id');
