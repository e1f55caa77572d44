-- zerodown · up
-- Migration: merge_names
-- Author: unknown
-- Date: 2026-11-24
-- Target: postgresql 15
-- Risk: LOW
-- Estimated run time: 30 s
-- Lock duration: reads or writes blocked for up to 30 s in one step (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand, backfill
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 2 · expand · 1.people.merge_into_full_name.expand
-- Add full_name and the sync trigger on people
-- Runs in one transaction.
-- Lock: people: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the column and the trigger are added in one transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 2: Add full_name and the sync trigger on people'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "people" ADD COLUMN IF NOT EXISTS "full_name" text;
      CREATE OR REPLACE FUNCTION "zd_merge_people_full_name"() RETURNS trigger LANGUAGE plpgsql AS $function$
      DECLARE
        zd_from_old boolean;
        zd_from_new boolean;
        zd_value text;
        zd_cut integer;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          zd_from_old := (NEW."full_name" IS NULL);
          zd_from_new := NOT zd_from_old AND (NEW."first_name" IS NULL AND NEW."last_name" IS NULL);
        ELSE
          zd_from_old := ((NEW."first_name", NEW."last_name") IS DISTINCT FROM (OLD."first_name", OLD."last_name") AND NOT (NEW."full_name" IS DISTINCT FROM OLD."full_name"))
            OR (NOT ((NEW."first_name", NEW."last_name") IS DISTINCT FROM (OLD."first_name", OLD."last_name")) AND NOT (NEW."full_name" IS DISTINCT FROM OLD."full_name")
                AND (NEW."full_name" IS NULL) AND NOT ((NEW."first_name" IS NULL AND NEW."last_name" IS NULL)));
          zd_from_new := NEW."full_name" IS DISTINCT FROM OLD."full_name" AND NOT ((NEW."first_name", NEW."last_name") IS DISTINCT FROM (OLD."first_name", OLD."last_name"));
        END IF;
        IF zd_from_old THEN
          -- old code wrote the old columns, or the row predates the new ones: derive the new columns
          NEW."full_name" := NULLIF(concat_ws(' ', NULLIF(btrim(NEW."first_name"), ''), NULLIF(btrim(NEW."last_name"), '')), '');
        ELSIF zd_from_new THEN
          -- new code wrote the new columns: derive the old ones
          zd_value := btrim(NEW."full_name");
          zd_cut := strpos(zd_value, ' ');
          NEW."first_name" := CASE WHEN zd_value = '' THEN NULL WHEN zd_cut = 0 THEN zd_value ELSE NULLIF(btrim(left(zd_value, zd_cut - 1)), '') END;
          NEW."last_name" := CASE WHEN zd_cut = 0 THEN NULL ELSE NULLIF(btrim(substr(zd_value, zd_cut + length(' '))), '') END;
        END IF;
        RETURN NEW;
      END
      $function$;
      IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = '"people"'::regclass AND tgname = 'zd_merge_people_full_name') THEN
        CREATE TRIGGER "zd_merge_people_full_name" BEFORE INSERT OR UPDATE ON "people" FOR EACH ROW EXECUTE FUNCTION "zd_merge_people_full_name"();
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

-- ─── Step 2 of 2 · backfill · 1.people.merge_into_full_name.backfill
-- Fill full_name in one UPDATE
-- Runs in one transaction.
-- Lock: people: ROW EXCLUSIVE and a lock on every row (blocks writes, not reads), updates every row in one statement, held proportional to rows: about 30 s for 3,000,000 rows
-- If interrupted: Nothing is changed: the UPDATE is one transaction and rolls back whole. Run the script again.
\echo 'zerodown: step 2 of 2: Fill full_name in one UPDATE'
UPDATE "people" SET "first_name" = "first_name" WHERE "full_name" IS NULL AND (btrim("first_name") <> '' OR btrim("last_name") <> '');

\echo 'zerodown: up script complete'
