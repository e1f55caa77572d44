-- ════ up
-- zerodown · up
-- Migration: add_column
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 18
-- Risk: MEDIUM
-- Estimated run time: 20 s
-- Lock duration: blocking locks are held only for catalog changes (milliseconds) (waits for each lock are capped at 1 s by lock_timeout, 10 attempts)
-- Phases: expand, backfill, build
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 4 · expand · 1.a"b.add_token.add
-- Add the column a"b.token nullable and its default for new rows (no row is written)
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the column and its default are added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 1 of 4: Add the column a"b.token nullable and its default for new rows (no row is written)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'token' AND NOT attisdropped) THEN
        ALTER TABLE "a""b" ADD COLUMN "token" double precision;
        ALTER TABLE "a""b" ALTER COLUMN "token" SET DEFAULT random();
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

-- ─── Step 2 of 4 · backfill · 1.a"b.add_token.backfill
-- Fill token of the existing rows with its default (random()) in batches of 300
-- Runs statement by statement, outside any transaction.
-- Lock: a"b: ROW EXCLUSIVE (blocks neither reads nor writes), updates one batch of rows, held one batch at a time: about 6 ms per batch of 300 rows
-- If interrupted: Batches committed so far stay filled; rows inserted meanwhile get the default; running the step again resumes after the last committed batch (see zerodown.backfill_progress).
\echo 'zerodown: step 2 of 4: Fill token of the existing rows with its default (random()) in batches of 300'
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
  INSERT INTO zerodown.backfill_progress (migration, step) VALUES ('add_column', '1.a"b.add_token.backfill')
    ON CONFLICT (migration, step) DO NOTHING;
  SELECT last_key[1]::bigint, end_key[1]::bigint, rows_done, batches, finished_at
    INTO v_last_0, v_end_0, v_rows, v_batches, v_finished
    FROM zerodown.backfill_progress WHERE migration = 'add_column' AND step = '1.a"b.add_token.backfill';
  IF v_finished IS NOT NULL THEN
    RAISE NOTICE 'zerodown: backfill % already finished at %', '1.a"b.add_token.backfill', v_finished;
    RETURN;
  END IF;
  IF v_end_0 IS NULL THEN
    SELECT "id" INTO v_end_0 FROM "a""b" ORDER BY "id" DESC LIMIT 1;
    UPDATE zerodown.backfill_progress SET end_key = ARRAY[v_end_0::text] WHERE migration = 'add_column' AND step = '1.a"b.add_token.backfill';
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
            FROM (SELECT "id" FROM "a""b" WHERE "id" <= zd.v_end_0 ORDER BY "id" LIMIT 300) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "a""b" AS zd_row SET "token" = DEFAULT
              WHERE zd_row."id" <= zd.v_next_0
                AND (zd_row."token" IS NULL);
            GET DIAGNOSTICS v_touched = ROW_COUNT;
          END IF;
        ELSE
          SELECT "id" INTO v_next_0
            FROM (SELECT "id" FROM "a""b" WHERE "id" > zd.v_last_0 AND "id" <= zd.v_end_0 ORDER BY "id" LIMIT 300) AS zd_batch
            ORDER BY "id" DESC LIMIT 1;
          v_touched := 0;
          IF v_next_0 IS NOT NULL THEN
            UPDATE "a""b" AS zd_row SET "token" = DEFAULT
              WHERE zd_row."id" > zd.v_last_0 AND zd_row."id" <= zd.v_next_0
                AND (zd_row."token" IS NULL);
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
      WHERE migration = 'add_column' AND step = '1.a"b.add_token.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill %: batch % done, % rows written so far, last key %', '1.a"b.add_token.backfill', v_batches, v_rows, v_last_0::text;
  END LOOP batches;
  IF v_next_0 IS NULL THEN
    UPDATE zerodown.backfill_progress SET finished_at = now(), updated_at = now() WHERE migration = 'add_column' AND step = '1.a"b.add_token.backfill';
    COMMIT;
    RAISE NOTICE 'zerodown: backfill % finished: % rows written in % batches', '1.a"b.add_token.backfill', v_rows, v_batches;
  ELSE
    RAISE NOTICE 'zerodown: backfill % paused after % batches (zerodown.max_batches); run the step again to continue', '1.a"b.add_token.backfill', v_run;
  END IF;
END
$zerodown$;
RESET statement_timeout;

-- ─── Step 3 of 4 · build · 1.a"b.add_token.add_not_null
-- Add the NOT NULL constraint a"b_token_not_null on a"b.token NOT VALID (checked for new writes only)
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. Run the script again.
\echo 'zerodown: step 3 of 4: Add the NOT NULL constraint a"b_token_not_null on a"b.token NOT VALID (checked for new writes only)'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'token' AND attnotnull) THEN
        ALTER TABLE "a""b" ADD CONSTRAINT "a""b_token_not_null" NOT NULL "token" NOT VALID;
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

-- ─── Step 4 of 4 · build · 1.a"b.add_token.validate_not_null
-- Validate the NOT NULL constraint a"b_token_not_null against the existing rows (reads and writes go on)
-- Runs in one transaction.
-- Lock: a"b: SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), scans every row, held proportional to rows: about 500 ms for 1,000,000 rows
-- If interrupted: The constraint stays NOT VALID: new writes of NULL are already rejected. The scan fails on a row whose token is NULL (SQLSTATE 23502): fill those rows and run the script again.
\echo 'zerodown: step 4 of 4: Validate the NOT NULL constraint a"b_token_not_null against the existing rows (reads and writes go on)'
DO $zerodown$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = '"a""b"'::regclass AND conname = 'a"b_token_not_null' AND NOT convalidated) THEN
    ALTER TABLE "a""b" VALIDATE CONSTRAINT "a""b_token_not_null";
  END IF;
END
$zerodown$;

\echo 'zerodown: up script complete'

-- ════ contract

-- ════ down
-- zerodown · down
-- Migration: add_column
-- Author: test@example.com
-- Date: 2026-01-01
-- Target: postgresql 18
-- Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script
--
-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>
-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.
-- Safe to run again after a failure: every step skips or resumes what is already done.

\set ON_ERROR_STOP on

-- ─── Step 1 of 2 · backfill · 1.a"b.add_token.undo_backfill
-- Forget the fill's progress, so that a new up script fills the column again
-- Runs in one transaction.
-- If interrupted: Nothing is changed: the step runs in one transaction, which rolls back as a whole.
\echo 'zerodown: step 1 of 2: Forget the fill''s progress, so that a new up script fills the column again'
DO $zerodown$
BEGIN
  IF to_regclass('zerodown.backfill_progress') IS NOT NULL THEN
    DELETE FROM zerodown.backfill_progress WHERE migration = 'add_column' AND step = '1.a"b.add_token.backfill';
  END IF;
END
$zerodown$;

-- ─── Step 2 of 2 · expand · 1.a"b.add_token.undo_add
-- Drop the column a"b.token
-- Runs in one transaction.
-- Lock: a"b: ACCESS EXCLUSIVE (blocks reads and writes), catalog only, held instant (catalog change, milliseconds)
-- If interrupted: Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.
\echo 'zerodown: step 2 of 2: Drop the column a"b.token'
DO $zerodown$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '1000ms', true);
      ALTER TABLE "a""b" DROP COLUMN IF EXISTS "token";
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
-- The column a"b.token exists as double precision, NOT NULL, with its default.
-- expect: true
SELECT format_type(a.atttypid, a.atttypmod) = 'double precision' AND a.attnotnull = true AND (d.adbin IS NOT NULL) = true AND a.attidentity::text = '' AND a.attgenerated::text = ''
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = '"a""b"'::regclass AND a.attname = 'token' AND NOT a.attisdropped;

-- The fill of token finished.
-- expect: 1
SELECT count(*) FROM zerodown.backfill_progress WHERE migration = 'add_column' AND step = '1.a"b.add_token.backfill' AND finished_at IS NOT NULL;

-- No row of a"b has token NULL.
-- expect: 0
SELECT count(*) FROM "a""b" WHERE "token" IS NULL;

-- ════ pre-checks of the operation
-- The function random of the default exists.
-- expect: 1
SELECT count(DISTINCT proname) FROM pg_proc WHERE proname IN ('random');

-- The column a"b.token does not exist yet (on a re-run it does: expected).
-- expect: 0
SELECT count(*) FROM pg_attribute WHERE attrelid = '"a""b"'::regclass AND attname = 'token' AND NOT attisdropped;
