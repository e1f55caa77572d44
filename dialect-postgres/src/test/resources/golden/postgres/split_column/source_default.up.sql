-- zerodown · up
-- Migration: defaults
-- Author: unknown
-- Date: 2026-12-07
-- Target: postgresql 18
-- Risk: MEDIUM
-- Estimated run time: 70 ms
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand, backfill
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 2 · expand · 1.people.split_full_name.expand
-- Add full_name_first, full_name_last and the sync trigger on people
-- Runs in one transaction.
-- Lock: people: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: columns and trigger are added in one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 2: Add full_name_first, full_name_last and the sync trigger on people'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "people" ADD COLUMN IF NOT EXISTS "full_name_first" text, ADD COLUMN IF NOT EXISTS "full_name_last" text;
      CREATE OR REPLACE FUNCTION "zd_sync_people_full_name"() RETURNS trigger LANGUAGE plpgsql AS $function$
      DECLARE
        zd_from_old boolean;
        zd_from_new boolean;
        zd_value text;
        zd_cut integer;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          zd_from_old := (NEW."full_name_first" IS NULL AND NEW."full_name_last" IS NULL);
          zd_from_new := NOT zd_from_old AND (NEW."full_name" IS NULL OR NEW."full_name"::text = CAST('anonymous'::text AS text)::text);
        ELSE
          zd_from_old := (NEW."full_name" IS DISTINCT FROM OLD."full_name" AND NOT ((NEW."full_name_first", NEW."full_name_last") IS DISTINCT FROM (OLD."full_name_first", OLD."full_name_last")))
            OR (NOT (NEW."full_name" IS DISTINCT FROM OLD."full_name") AND NOT ((NEW."full_name_first", NEW."full_name_last") IS DISTINCT FROM (OLD."full_name_first", OLD."full_name_last"))
                AND (NEW."full_name_first" IS NULL AND NEW."full_name_last" IS NULL) AND NOT ((NEW."full_name" IS NULL)));
          zd_from_new := (NEW."full_name_first", NEW."full_name_last") IS DISTINCT FROM (OLD."full_name_first", OLD."full_name_last") AND NOT (NEW."full_name" IS DISTINCT FROM OLD."full_name");
        END IF;
        IF zd_from_old THEN
          -- old code wrote the old columns, or the row predates the new ones: derive the new columns
          zd_value := btrim(NEW."full_name");
          zd_cut := strpos(zd_value, ' ');
          NEW."full_name_first" := CASE WHEN zd_value = '' THEN NULL WHEN zd_cut = 0 THEN zd_value ELSE NULLIF(btrim(left(zd_value, zd_cut - 1)), '') END;
          NEW."full_name_last" := CASE WHEN zd_cut = 0 THEN NULL ELSE NULLIF(btrim(substr(zd_value, zd_cut + length(' '))), '') END;
        ELSIF zd_from_new THEN
          -- new code wrote the new columns: derive the old ones
          NEW."full_name" := NULLIF(concat_ws(' ', NEW."full_name_first", NEW."full_name_last"), '');
        END IF;
        RETURN NEW;
      END
      $function$;
      IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = '"people"'::regclass AND tgname = 'zd_sync_people_full_name') THEN
        CREATE TRIGGER "zd_sync_people_full_name" BEFORE INSERT OR UPDATE ON "people" FOR EACH ROW EXECUTE FUNCTION "zd_sync_people_full_name"();
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

-- ─── Step 2 of 2 · backfill · 1.people.split_full_name.backfill
-- Backfill full_name_first, full_name_last in batches of 100
-- Runs statement by statement, outside any transaction.
-- Lock: people: ROW EXCLUSIVE (blocks neither reads nor writes), updates one batch of rows, held one batch at a time: about 2 ms per batch of 100 rows
-- If interrupted: Batches committed so far stay done; the rest of the rows are filled by the sync trigger when they are written, or by running the step again, which resumes after the last committed batch (see zerodown.backfill_progress).
\echo 'zerodown: step 2 of 2: Backfill full_name_first, full_name_last in batches of 100'
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
  INSERT INTO zerodown.backfill_progress (migration, step) VALUES ('defaults', '1.people.split_full_name.backfill')
    ON CONFLICT (migration, step) DO NOTHING;
  SELECT last_key[1]::bigint, end_key[1]::bigint, rows_done, batches, finished_at
    INTO v_last_0, v_end_0, v_rows, v_batches, v_finished
    FROM zerodown.backfill_progress WHERE migration = 'defaults' AND step = '1.people.split_full_name.backfill';
  IF v_finished IS NOT NULL THEN
    RAISE NOTICE 'zerodown: backfill % already finished at %', '1.people.split_full_name.backfill', v_finished;
    RETURN;
  END IF;
  IF v_end_0 IS NULL THEN
    SELECT "id" INTO v_end_0 FROM "people" ORDER BY "id" DESC LIMIT 1;
    UPDATE zerodown.backfill_progress SET end_key = ARRAY[v_end_0::text] WHERE migration = 'defaults' AND step = '1.people.split_full_name.backfill';
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
            FROM (SELECT "id" FROM "people" WHERE "id" <= zd.v_end_0 ORDER BY "id" LIMIT 100) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "people" AS zd_row SET "full_name" = zd_row."full_name"
              WHERE zd_row."id" <= zd.v_next_0
                AND (zd_row."full_name_first" IS NULL AND zd_row."full_name_last" IS NULL AND zd_row."full_name" IS NOT NULL);
            GET DIAGNOSTICS v_touched = ROW_COUNT;
          END IF;
        ELSE
          SELECT "id" INTO v_next_0
            FROM (SELECT "id" FROM "people" WHERE "id" > zd.v_last_0 AND "id" <= zd.v_end_0 ORDER BY "id" LIMIT 100) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "people" AS zd_row SET "full_name" = zd_row."full_name"
              WHERE zd_row."id" > zd.v_last_0 AND zd_row."id" <= zd.v_next_0
                AND (zd_row."full_name_first" IS NULL AND zd_row."full_name_last" IS NULL AND zd_row."full_name" IS NOT NULL);
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
      WHERE migration = 'defaults' AND step = '1.people.split_full_name.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill %: batch % done, % rows written so far, last key %', '1.people.split_full_name.backfill', v_batches, v_rows, v_last_0::text;
  END LOOP batches;
  IF v_next_0 IS NULL THEN
    UPDATE zerodown.backfill_progress SET finished_at = now(), updated_at = now() WHERE migration = 'defaults' AND step = '1.people.split_full_name.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill % finished: % rows written in % batches', '1.people.split_full_name.backfill', v_rows, v_batches;
  ELSE
    RAISE NOTICE 'zerodown: backfill % paused after % batches (zerodown.max_batches); run the step again to continue', '1.people.split_full_name.backfill', v_run;
  END IF;
END
$zerodown$;
RESET statement_timeout;

\echo 'zerodown: up script complete'
