-- ════ up
-- zerodown · up
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 18
-- Risk: MEDIUM
-- Estimated run time: 1 min
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand, backfill, build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 12 · expand · 3.users.backfill_full_name.expand
-- Create the trigger that computes full_name on users, and zerodown.zd_old_constraints_users_full_name for the values it replaces
-- Runs in one transaction.
-- Lock: users: SHARE ROW EXCLUSIVE (blocks writes, not reads), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the trigger and the side table are created in one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 12: Create the trigger that computes full_name on users, and zerodown.zd_old_constraints_users_full_name for the values it replaces'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      CREATE SCHEMA IF NOT EXISTS "zerodown";
      CREATE TABLE IF NOT EXISTS "zerodown"."zd_old_constraints_users_full_name" ("id" bigint NOT NULL, "zd_old_value" character varying(255), PRIMARY KEY ("id"));
      EXECUTE format('CREATE OR REPLACE FUNCTION %I(bigint) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $keep$INSERT INTO "zerodown"."zd_old_constraints_users_full_name" (%I, "zd_old_value") SELECT %I, %I FROM %s.%I WHERE (%I) = ($1) ON CONFLICT DO NOTHING$keep$',
        'zd_keep_users_full_name', 'id', 'id', 'full_name',
        (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = '"users"'::regclass), 'users', 'id');
      CREATE OR REPLACE FUNCTION "zd_fill_users_full_name"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $function$
      #variable_conflict use_column
      DECLARE
        zd_value character varying(255);
      BEGIN
        SELECT (coalesce(full_name, email)) INTO zd_value FROM (SELECT NEW.*) AS zd_row;
        IF TG_OP = 'UPDATE' AND zd_value IS DISTINCT FROM OLD."full_name" THEN
          -- keep the value the row had before the migration first changed it
          PERFORM "zd_keep_users_full_name"(OLD."id");
        END IF;
        NEW."full_name" := zd_value;
        RETURN NEW;
      END
      $function$;
      IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = '"users"'::regclass AND tgname = 'zd_fill_users_full_name') THEN
        CREATE TRIGGER "zd_fill_users_full_name" BEFORE INSERT OR UPDATE OF "full_name", "email" ON "users" FOR EACH ROW EXECUTE FUNCTION "zd_fill_users_full_name"();
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

-- ─── Step 2 of 12 · backfill · 3.users.backfill_full_name.backfill
-- Backfill full_name in batches of 100
-- Runs statement by statement, outside any transaction.
-- Lock: users: ROW EXCLUSIVE (blocks neither reads nor writes), updates one batch of rows, held one batch at a time: about 2 ms per batch of 100 rows
-- If interrupted: Batches committed so far stay done; rows written since are computed by the trigger; running the step again resumes after the last committed batch (see zerodown.backfill_progress).
\echo 'zerodown: step 2 of 12: Backfill full_name in batches of 100'
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
  INSERT INTO zerodown.backfill_progress (migration, step) VALUES ('constraints', '3.users.backfill_full_name.backfill')
    ON CONFLICT (migration, step) DO NOTHING;
  SELECT last_key[1]::bigint, end_key[1]::bigint, rows_done, batches, finished_at
    INTO v_last_0, v_end_0, v_rows, v_batches, v_finished
    FROM zerodown.backfill_progress WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.backfill';
  IF v_finished IS NOT NULL THEN
    RAISE NOTICE 'zerodown: backfill % already finished at %', '3.users.backfill_full_name.backfill', v_finished;
    RETURN;
  END IF;
  IF v_end_0 IS NULL THEN
    SELECT "id" INTO v_end_0 FROM "users" ORDER BY "id" DESC LIMIT 1;
    UPDATE zerodown.backfill_progress SET end_key = ARRAY[v_end_0::text] WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.backfill';
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
            FROM (SELECT "id" FROM "users" WHERE "id" <= zd.v_end_0 ORDER BY "id" LIMIT 100) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "users" AS zd_row SET "full_name" = (coalesce(full_name, email))
              WHERE zd_row."id" <= zd.v_next_0
                AND (zd_row."full_name" IS DISTINCT FROM CAST((coalesce(full_name, email)) AS character varying(255)));
            GET DIAGNOSTICS v_touched = ROW_COUNT;
          END IF;
        ELSE
          SELECT "id" INTO v_next_0
            FROM (SELECT "id" FROM "users" WHERE "id" > zd.v_last_0 AND "id" <= zd.v_end_0 ORDER BY "id" LIMIT 100) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "users" AS zd_row SET "full_name" = (coalesce(full_name, email))
              WHERE zd_row."id" > zd.v_last_0 AND zd_row."id" <= zd.v_next_0
                AND (zd_row."full_name" IS DISTINCT FROM CAST((coalesce(full_name, email)) AS character varying(255)));
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
      WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill %: batch % done, % rows written so far, last key %', '3.users.backfill_full_name.backfill', v_batches, v_rows, v_last_0::text;
  END LOOP batches;
  IF v_next_0 IS NULL THEN
    UPDATE zerodown.backfill_progress SET finished_at = now(), updated_at = now() WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill % finished: % rows written in % batches', '3.users.backfill_full_name.backfill', v_rows, v_batches;
  ELSE
    RAISE NOTICE 'zerodown: backfill % paused after % batches (zerodown.max_batches); run the step again to continue', '3.users.backfill_full_name.backfill', v_run;
  END IF;
END
$zerodown$;
RESET statement_timeout;

-- ─── Step 3 of 12 · build · 1.users.index_users_full_name_idx.repair
-- Drop users_full_name_idx if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: users: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 3 of 12: Drop users_full_name_idx if an earlier build left it INVALID'
SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"users_full_name_idx"') AND NOT indisvalid) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "users_full_name_idx";
\else
\echo 'zerodown: step 3 not needed, skipped'
\endif

-- ─── Step 4 of 12 · build · 1.users.index_users_full_name_idx.build
-- Build the index users_full_name_idx concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: users: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 8 s for 2,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 4 of 12: Build the index users_full_name_idx concurrently'
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_full_name_idx" ON "users" USING btree ("full_name");
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"users_full_name_idx"') AND indisvalid
                 AND indrelid = '"users"'::regclass AND indisunique = false) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'users_full_name_idx'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;

-- ─── Step 5 of 12 · build · 2.users.not_null_full_name.add_not_null
-- Add the NOT NULL constraint users_full_name_not_null on users.full_name NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: users: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 5 of 12: Add the NOT NULL constraint users_full_name_not_null on users.full_name NOT VALID (checked for new writes only)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"users"'::regclass AND attname = 'full_name' AND attnotnull) THEN
        ALTER TABLE "users" ADD CONSTRAINT "users_full_name_not_null" NOT NULL "full_name" NOT VALID;
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

-- ─── Step 6 of 12 · build · 2.users.not_null_full_name.validate_not_null
-- Validate the NOT NULL constraint users_full_name_not_null against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: users: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 1 s for 2,000,000 rows
-- If interrupted: The constraint stays NOT VALID: new writes of NULL are already rejected. The scan fails on a row whose full_name is NULL (SQLSTATE 23502): fill those rows and run the script again.
\echo 'zerodown: step 6 of 12: Validate the NOT NULL constraint users_full_name_not_null against the existing rows (reads and writes go on)'
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"users"'::regclass AND conname = 'users_full_name_not_null' AND NOT convalidated) THEN
    ALTER TABLE "users" VALIDATE CONSTRAINT "users_full_name_not_null";
  END IF;
END
$zerodown$;

-- ─── Step 7 of 12 · build · 4.orders.check_orders_total_check.add
-- Add the check orders_total_check NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: orders: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 7 of 12: Add the check orders_total_check NOT VALID (checked for new writes only)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_total_check') THEN
        ALTER TABLE "orders" ADD CONSTRAINT "orders_total_check" CHECK (total >= 0) NOT VALID;
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

-- ─── Step 8 of 12 · build · 4.orders.check_orders_total_check.validate
-- Validate orders_total_check against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: orders: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 1 s for 2,000,000 rows
-- If interrupted: The constraint stays NOT VALID: it is still enforced for new writes, and nothing else changes. The scan fails on a row the check rejects (SQLSTATE 23514): find such rows with the pre-check's query, fix them, and run the script again.
\echo 'zerodown: step 8 of 12: Validate orders_total_check against the existing rows (reads and writes go on)'
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_total_check";

-- ─── Step 9 of 12 · build · 5.orders.index_orders_user_id_idx.repair
-- Drop orders_user_id_idx if an earlier build left it INVALID
-- Runs statement by statement, outside any transaction.
-- Lock: orders: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The invalid index may remain; run the script again.
\echo 'zerodown: step 9 of 12: Drop orders_user_id_idx if an earlier build left it INVALID'
SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"orders_user_id_idx"') AND NOT indisvalid) AS zerodown_run_step \gset
\if :zerodown_run_step
DROP INDEX CONCURRENTLY IF EXISTS "orders_user_id_idx";
\else
\echo 'zerodown: step 9 not needed, skipped'
\endif

-- ─── Step 10 of 12 · build · 5.orders.index_orders_user_id_idx.build
-- Build the index orders_user_id_idx concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: orders: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), reads every row to build an index, held proportional to rows: about 8 s for 2,000,000 rows
-- If interrupted: The index is left INVALID: queries ignore it but writes still maintain it. Running the script again drops it concurrently and builds it anew.
\echo 'zerodown: step 10 of 12: Build the index orders_user_id_idx concurrently'
SET lock_timeout = 0;
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "orders_user_id_idx" ON "orders" USING btree ("user_id");
RESET statement_timeout;
RESET lock_timeout;
DO $zerodown$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"orders_user_id_idx"') AND indisvalid
                 AND indrelid = '"orders"'::regclass AND indisunique = false) THEN
    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', 'orders_user_id_idx'
      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';
  END IF;
END
$zerodown$;

-- ─── Step 11 of 12 · build · 5.orders.fk_orders_user_id_fkey.add
-- Add the foreign key orders_user_id_fkey NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: orders: SHARE ROW EXCLUSIVE (blocks writes, not reads), catalog only, held instant (catalog change, milliseconds)
-- Lock: users: SHARE ROW EXCLUSIVE (blocks writes, not reads), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 11 of 12: Add the foreign key orders_user_id_fkey NOT VALID (checked for new writes only)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_user_id_fkey') THEN
        ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") NOT VALID;
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

-- ─── Step 12 of 12 · build · 5.orders.fk_orders_user_id_fkey.validate
-- Validate orders_user_id_fkey against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: orders: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 2 s for 2,000,000 rows
-- Lock: users: ROW SHARE (blocks neither reads nor writes), scans every row, held proportional to rows: about 2 s for 2,000,000 rows
-- If interrupted: The constraint stays NOT VALID: it is still enforced for new writes, and nothing else changes. The scan (which also looks each key up in users) fails on a row whose key has no match in the referenced table (SQLSTATE 23503): find such rows with the pre-check's query, fix them, and run the script again.
\echo 'zerodown: step 12 of 12: Validate orders_user_id_fkey against the existing rows (reads and writes go on)'
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_user_id_fkey";

\echo 'zerodown: up script complete'

-- ════ contract
-- zerodown · contract
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 18
-- Run: no earlier than 2026-01-08 (the 7 days rollback period), and only once no deployed code uses what it removes
-- Estimated run time: 50 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Reversible: no; once it has run, the down script no longer applies
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 1 · contract · 3.users.backfill_full_name.contract
-- Drop the trigger that computes full_name and the kept old values
-- Runs in one transaction.
-- Lock: users: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 1 of 1: Drop the trigger that computes full_name and the kept old values'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      DROP TRIGGER IF EXISTS "zd_fill_users_full_name" ON "users";
      DROP FUNCTION IF EXISTS "zd_fill_users_full_name"();
      DROP FUNCTION IF EXISTS "zd_keep_users_full_name"(bigint);
      DROP TABLE IF EXISTS "zerodown"."zd_old_constraints_users_full_name";
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
-- Migration: constraints
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 18
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 9 · build · 5.orders.fk_orders_user_id_fkey.undo_add
-- Drop the constraint orders_user_id_fkey of orders
-- Runs in one transaction.
-- Lock: orders: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- Lock: users: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction. Run it again.
\echo 'zerodown: step 1 of 9: Drop the constraint orders_user_id_fkey of orders'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_user_id_fkey";
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

-- ─── Step 2 of 9 · build · 5.orders.index_orders_user_id_idx.undo_build
-- Drop the index orders_user_id_idx concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: orders: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID; run the step again.
\echo 'zerodown: step 2 of 9: Drop the index orders_user_id_idx concurrently'
DROP INDEX CONCURRENTLY IF EXISTS "orders_user_id_idx";

-- ─── Step 3 of 9 · build · 4.orders.check_orders_total_check.undo_add
-- Drop the constraint orders_total_check of orders
-- Runs in one transaction.
-- Lock: orders: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction. Run it again.
\echo 'zerodown: step 3 of 9: Drop the constraint orders_total_check of orders'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_total_check";
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

-- ─── Step 4 of 9 · build · 2.users.not_null_full_name.undo_set_not_null
-- Allow NULL in users.full_name
-- Runs in one transaction.
-- Lock: users: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 4 of 9: Allow NULL in users.full_name'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "users" ALTER COLUMN "full_name" DROP NOT NULL;
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

-- ─── Step 5 of 9 · build · 1.users.index_users_full_name_idx.undo_build
-- Drop the index users_full_name_idx concurrently
-- Runs statement by statement, outside any transaction.
-- Lock: users: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: The index may be left INVALID; run the step again.
\echo 'zerodown: step 5 of 9: Drop the index users_full_name_idx concurrently'
DROP INDEX CONCURRENTLY IF EXISTS "users_full_name_idx";

-- ─── Step 6 of 9 · backfill · 3.users.backfill_full_name.undo_backfill
-- Forget the backfill's progress, so that a new up script fills the column again
-- Runs in one transaction.
-- If interrupted: Nothing is changed: the step runs in one transaction, which rolls back as a whole.
\echo 'zerodown: step 6 of 9: Forget the backfill''s progress, so that a new up script fills the column again'
DO $zerodown$
BEGIN
  IF to_regclass('zerodown.backfill_progress') IS NOT NULL THEN
    DELETE FROM zerodown.backfill_progress WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.backfill';
  END IF;
END
$zerodown$;

-- ─── Step 7 of 9 · expand · 3.users.backfill_full_name.undo_trigger
-- Drop the trigger that computes full_name
-- Runs in one transaction.
-- Lock: users: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 7 of 9: Drop the trigger that computes full_name'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      DROP TRIGGER IF EXISTS "zd_fill_users_full_name" ON "users";
      DROP FUNCTION IF EXISTS "zd_fill_users_full_name"();
      DROP FUNCTION IF EXISTS "zd_keep_users_full_name"(bigint);
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

-- ─── Step 8 of 9 · expand · 3.users.backfill_full_name.restore
-- Put back the values of full_name kept in zerodown.zd_old_constraints_users_full_name
-- Runs statement by statement, outside any transaction.
-- Lock: users: ROW EXCLUSIVE (blocks neither reads nor writes), updates one batch of rows, held one batch at a time: about 2 ms per batch of 100 rows
-- If interrupted: Batches committed so far stay restored; running the step again resumes after the last one.
\echo 'zerodown: step 8 of 9: Put back the values of full_name kept in zerodown.zd_old_constraints_users_full_name'
SELECT to_regclass('"zerodown"."zd_old_constraints_users_full_name"') IS NOT NULL AS zerodown_run_step \gset
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
  INSERT INTO zerodown.backfill_progress (migration, step) VALUES ('constraints', '3.users.backfill_full_name.restore')
    ON CONFLICT (migration, step) DO NOTHING;
  SELECT last_key[1]::bigint, end_key[1]::bigint, rows_done, batches, finished_at
    INTO v_last_0, v_end_0, v_rows, v_batches, v_finished
    FROM zerodown.backfill_progress WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.restore';
  IF v_finished IS NOT NULL THEN
    RAISE NOTICE 'zerodown: backfill % already finished at %', '3.users.backfill_full_name.restore', v_finished;
    RETURN;
  END IF;
  IF v_end_0 IS NULL THEN
    SELECT "id" INTO v_end_0 FROM "users" ORDER BY "id" DESC LIMIT 1;
    UPDATE zerodown.backfill_progress SET end_key = ARRAY[v_end_0::text] WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.restore';
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
            FROM (SELECT "id" FROM "users" WHERE "id" <= zd.v_end_0 ORDER BY "id" LIMIT 100) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "users" AS zd_row SET "full_name" = (SELECT zd_old."zd_old_value" FROM "zerodown"."zd_old_constraints_users_full_name" AS zd_old WHERE (zd_old."id") = (zd_row."id"))
              WHERE zd_row."id" <= zd.v_next_0
                AND (EXISTS (SELECT FROM "zerodown"."zd_old_constraints_users_full_name" AS zd_old WHERE (zd_old."id") = (zd_row."id") AND zd_old."zd_old_value" IS DISTINCT FROM zd_row."full_name"));
            GET DIAGNOSTICS v_touched = ROW_COUNT;
          END IF;
        ELSE
          SELECT "id" INTO v_next_0
            FROM (SELECT "id" FROM "users" WHERE "id" > zd.v_last_0 AND "id" <= zd.v_end_0 ORDER BY "id" LIMIT 100) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "users" AS zd_row SET "full_name" = (SELECT zd_old."zd_old_value" FROM "zerodown"."zd_old_constraints_users_full_name" AS zd_old WHERE (zd_old."id") = (zd_row."id"))
              WHERE zd_row."id" > zd.v_last_0 AND zd_row."id" <= zd.v_next_0
                AND (EXISTS (SELECT FROM "zerodown"."zd_old_constraints_users_full_name" AS zd_old WHERE (zd_old."id") = (zd_row."id") AND zd_old."zd_old_value" IS DISTINCT FROM zd_row."full_name"));
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
      WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.restore';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill %: batch % done, % rows written so far, last key %', '3.users.backfill_full_name.restore', v_batches, v_rows, v_last_0::text;
  END LOOP batches;
  IF v_next_0 IS NULL THEN
    UPDATE zerodown.backfill_progress SET finished_at = now(), updated_at = now() WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.restore';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill % finished: % rows written in % batches', '3.users.backfill_full_name.restore', v_rows, v_batches;
  ELSE
    RAISE NOTICE 'zerodown: backfill % paused after % batches (zerodown.max_batches); run the step again to continue', '3.users.backfill_full_name.restore', v_run;
  END IF;
END
$zerodown$;
RESET statement_timeout;
\else
\echo 'zerodown: step 8 not needed, skipped'
\endif

-- ─── Step 9 of 9 · expand · 3.users.backfill_full_name.undo_keep
-- Drop zerodown.zd_old_constraints_users_full_name, whose values are back in place
-- Runs in one transaction.
-- If interrupted: Nothing is changed: the step is one transaction. Run it again.
\echo 'zerodown: step 9 of 9: Drop zerodown.zd_old_constraints_users_full_name, whose values are back in place'
BEGIN;
DROP TABLE IF EXISTS "zerodown"."zd_old_constraints_users_full_name";
DO $zerodown$
BEGIN
  IF to_regclass('zerodown.backfill_progress') IS NOT NULL THEN
    DELETE FROM zerodown.backfill_progress WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.restore';
  END IF;
END
$zerodown$;
COMMIT;

\echo 'zerodown: down script complete'

-- ════ verification
-- The index users_full_name_idx exists on users and is valid.
-- expect: true
SELECT i.indisvalid AND i.indisready AND i.indrelid = '"users"'::regclass AND i.indisunique = false
FROM pg_index i WHERE i.indexrelid = to_regclass('"users_full_name_idx"');

-- users.full_name is NOT NULL, with a validated not-null constraint.
-- expect: true
SELECT a.attnotnull AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conrelid = a.attrelid AND c.contype = 'n' AND NOT c.convalidated
                               AND c.conkey = ARRAY[a.attnum])
FROM pg_attribute a WHERE a.attrelid = '"users"'::regclass AND a.attname = 'full_name';

-- The trigger that computes full_name exists and is enabled.
-- expect: 1
SELECT count(*) FROM pg_trigger WHERE tgrelid = '"users"'::regclass AND tgname = 'zd_fill_users_full_name' AND tgenabled = 'O';

-- The backfill finished.
-- expect: 1
SELECT count(*) FROM zerodown.backfill_progress WHERE migration = 'constraints' AND step = '3.users.backfill_full_name.backfill' AND finished_at IS NOT NULL;

-- Every row's full_name equals coalesce(full_name, email).
-- expect: 0
SELECT count(*) FROM "users" WHERE "full_name" IS DISTINCT FROM CAST((coalesce(full_name, email)) AS character varying(255));

-- The table keeping the replaced values exists.
-- expect: 1
SELECT count(*) FROM pg_class WHERE oid = to_regclass('"zerodown"."zd_old_constraints_users_full_name"');

-- The check orders_total_check exists on orders and is validated.
-- expect: true
SELECT convalidated FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_total_check' AND contype = 'c';

-- The index orders_user_id_idx exists on orders and is valid.
-- expect: true
SELECT i.indisvalid AND i.indisready AND i.indrelid = '"orders"'::regclass AND i.indisunique = false
FROM pg_index i WHERE i.indexrelid = to_regclass('"orders_user_id_idx"');

-- The foreign key orders_user_id_fkey exists on orders, references users and is validated.
-- expect: true
SELECT convalidated AND confrelid = '"users"'::regclass FROM pg_constraint
WHERE conrelid = '"orders"'::regclass AND conname = 'orders_user_id_fkey' AND contype = 'f';

-- ════ pre-checks of the operation
-- The expression evaluates on users's rows and converts to character varying(255) (on a sample of 10,000 rows).
-- expect: true
SELECT count(zd_value) >= 0 FROM (SELECT CAST((coalesce(full_name, email)) AS character varying(255)) AS zd_value FROM "users" AS zd_row LIMIT 10000) AS zd_sample;

-- Every computed value fits character varying(255).
-- expect: 0
SELECT count(*) FROM "users" AS zd_row WHERE length((coalesce(full_name, email))::text) > 255;

-- Applied twice, the expression gives what it gives once (it reads full_name itself, and writes of full_name pass through it until the contract phase; on a sample of 10,000 rows).
-- expect: 0
SELECT count(*) FROM (SELECT "email", CAST((coalesce(full_name, email)) AS character varying(255)) AS "full_name" FROM "users" AS zd_row LIMIT 10000) AS zd_row
WHERE zd_row."full_name" IS DISTINCT FROM CAST((coalesce(full_name, email)) AS character varying(255));

-- No other trigger on users has a function that names full_name (one that writes it could fight the trigger that computes it).
-- expect: 0
SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE t.tgrelid = '"users"'::regclass AND NOT t.tgisinternal AND t.tgname <> 'zd_fill_users_full_name' AND (p.prosrc ~* '\mfull_name\M');

-- No existing row of orders violates CHECK (total >= 0).
-- expect: 0
SELECT count(*) FROM "orders" WHERE NOT (total >= 0);

-- No constraint named orders_total_check exists on orders yet (on a re-run it does: expected).
-- expect: 0
SELECT count(*) FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_total_check';

-- ════ checks right before a step
-- before 1.users.index_users_full_name_idx.repair
-- No index or other relation named users_full_name_idx exists yet (on a re-run it does: expected).
-- expect: 0
SELECT count(*) FROM pg_class WHERE oid = to_regclass('"users_full_name_idx"');

-- before 2.users.not_null_full_name.add_not_null
-- No row of users has full_name NULL (the validation would fail on it).
-- expect: 0
SELECT count(*) FROM "users" WHERE "full_name" IS NULL;

-- before 5.orders.index_orders_user_id_idx.repair
-- No index or other relation named orders_user_id_idx exists yet (on a re-run it does: expected).
-- expect: 0
SELECT count(*) FROM pg_class WHERE oid = to_regclass('"orders_user_id_idx"');

-- before 5.orders.index_orders_user_id_idx.repair
-- No row of orders references a missing users row (the validation would fail on it).
-- expect: 0
SELECT count(*) FROM "orders" AS "zd_child"
WHERE "zd_child"."user_id" IS NOT NULL
  AND NOT EXISTS (SELECT FROM "users" AS "zd_parent" WHERE "zd_parent"."id" = "zd_child"."user_id");

-- before 5.orders.index_orders_user_id_idx.repair
-- users has a primary key or unique index on exactly id (a foreign key must reference one).
-- expect: true
SELECT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = '"users"'::regclass AND i.indisunique AND i.indisvalid
  AND i.indimmediate AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts = 1
  AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE k.n <= i.indnkeyatts) @> ARRAY['id']::text[]);

-- before 5.orders.index_orders_user_id_idx.repair
-- orders is not a partitioned table (CREATE INDEX CONCURRENTLY fails on a partitioned table).
-- expect: true
SELECT relkind <> 'p' FROM pg_class WHERE oid = '"orders"'::regclass;
