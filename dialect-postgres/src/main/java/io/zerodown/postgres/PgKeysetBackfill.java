package io.zerodown.postgres;

import io.zerodown.model.TableName;
import io.zerodown.model.context.LockPolicy;
import io.zerodown.model.operation.Batching;
import io.zerodown.model.schema.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A resumable backfill in committed batches, walking the primary key (keyset pagination).
 *
 * <p>It is one {@code DO} block that commits after every batch (PostgreSQL 11+ allows
 * {@code COMMIT} in a {@code DO} block run outside a transaction block), so each batch is its
 * own transaction: a batch holds row locks only on its own rows, for the length of one batch.
 * Each batch finds the next {@code size} keys after the last one done through the primary key
 * index ({@code WHERE key > last ORDER BY key LIMIT size}) and updates the rows of that key range
 * ({@code key > last AND key <= next}), so no batch re-reads rows already done. It stops at the
 * greatest key that existed when it first started (recorded with the progress): rows written
 * later are filled by the sync trigger, so a busy table's new rows cannot keep it running. The last key done is committed with each batch in {@code zerodown.backfill_progress}, so
 * an interrupted run resumes where it stopped; a finished backfill is not run again.
 *
 * <p>Progress is reported with {@code RAISE NOTICE} after each batch and can be queried in
 * {@code zerodown.backfill_progress}. Setting {@code zerodown.max_batches} (e.g.
 * {@code SET zerodown.max_batches = 100}) stops the run after that many batches, to time-box it;
 * running it again continues. A batch that cannot get its row locks within {@code lock_timeout}
 * or is chosen as a deadlock victim is retried with backoff.
 *
 * @param migration  the migration's name (the progress row's key)
 * @param step       the step's id (the progress row's key)
 * @param table      the table
 * @param key        the primary key columns, in key order
 * @param set        the {@code SET} list applied to each row needing it; columns of the row as {@code zd_row.<column>}
 * @param needsFill  a condition on {@code zd_row}, true for rows the batch must write
 * @param batching   rows per batch and the pause between batches
 * @param lockPolicy lock timeout and retries for each batch
 */
record PgKeysetBackfill(String migration, String step, TableName table, List<Column> key, String set, String needsFill,
                        Batching batching, LockPolicy lockPolicy) {

    static final String PROGRESS_TABLE = "zerodown.backfill_progress";
    /** The alias of the table's row in {@code set} and {@code needsFill}. */
    static final String ROW = "zd_row";

    PgKeysetBackfill {
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(table, "table");
        key = List.copyOf(key);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a keyset backfill needs a key");
        }
    }

    /** The statements of the step, each sent alone: the block must not run inside a transaction block. */
    List<String> statements() {
        return List.of(
                "SET statement_timeout = 0",
                block(),
                "RESET statement_timeout");
    }

    /** Forgets the progress, so that the backfill runs again after a rollback (PL/pgSQL for a DO block). */
    String forgetProgress() {
        return "DO " + PgSql.dollarQuote("\nBEGIN\n  IF to_regclass(" + PgSql.literal(PROGRESS_TABLE) + ") IS NOT NULL THEN\n"
                + "    DELETE FROM " + PROGRESS_TABLE + " WHERE migration = " + PgSql.literal(migration) + " AND step = "
                + PgSql.literal(step) + ";\n  END IF;\nEND\n", "zerodown");
    }

    /** A query returning 1 when the backfill has finished. */
    String finishedQuery() {
        return "SELECT count(*) FROM " + PROGRESS_TABLE + " WHERE migration = " + PgSql.literal(migration) + " AND step = "
                + PgSql.literal(step) + " AND finished_at IS NOT NULL";
    }

    /** A query that shows the progress. */
    String progressQuery() {
        return "SELECT step, rows_done, batches, last_key, started_at, updated_at, finished_at,\n"
                + "       round(rows_done / greatest(extract(epoch FROM updated_at - started_at), 1)) AS rows_per_second\n"
                + "FROM " + PROGRESS_TABLE + " WHERE migration = " + PgSql.literal(migration) + " AND step = " + PgSql.literal(step);
    }

    private String block() {
        String t = PgSql.quote(table);
        String m = PgSql.literal(migration);
        String s = PgSql.literal(step);
        // Columns win over variables of the same name, and the block's variables are referred to as
        // zd.<name> inside SQL, so no column name of the table can be mistaken for a variable.
        StringBuilder b = new StringBuilder("\n#variable_conflict use_column\n<<zd>>\nDECLARE\n");
        for (int i = 0; i < key.size(); i++) {
            String type = key.get(i).type().sql();
            b.append("  v_last_").append(i).append(' ').append(type).append(";\n");
            b.append("  v_next_").append(i).append(' ').append(type).append(";\n");
            b.append("  v_end_").append(i).append(' ').append(type).append(";\n");
        }
        b.append("  v_touched bigint;\n");
        b.append("  v_rows bigint;\n");
        b.append("  v_batches bigint;\n");
        b.append("  v_finished timestamptz;\n");
        b.append("  v_run bigint := 0;\n");
        b.append("  v_max_run bigint := coalesce(nullif(current_setting('zerodown.max_batches', true), '')::bigint, 0);\n");
        b.append("  v_attempt integer;\n");
        b.append("BEGIN\n");
        b.append("  CREATE SCHEMA IF NOT EXISTS zerodown;\n");
        b.append("  CREATE TABLE IF NOT EXISTS ").append(PROGRESS_TABLE).append(" (\n");
        b.append("    migration text NOT NULL,\n    step text NOT NULL,\n    last_key text[],\n    end_key text[],\n");
        b.append("    rows_done bigint NOT NULL DEFAULT 0,\n    batches bigint NOT NULL DEFAULT 0,\n");
        b.append("    started_at timestamptz NOT NULL DEFAULT now(),\n    updated_at timestamptz NOT NULL DEFAULT now(),\n");
        b.append("    finished_at timestamptz,\n    PRIMARY KEY (migration, step));\n");
        b.append("  INSERT INTO ").append(PROGRESS_TABLE).append(" (migration, step) VALUES (").append(m).append(", ").append(s)
                .append(")\n    ON CONFLICT (migration, step) DO NOTHING;\n");
        b.append("  SELECT ");
        for (int i = 0; i < key.size(); i++) {
            b.append("last_key[").append(i + 1).append("]::").append(key.get(i).type().sql()).append(", ");
        }
        for (int i = 0; i < key.size(); i++) {
            b.append("end_key[").append(i + 1).append("]::").append(key.get(i).type().sql()).append(", ");
        }
        b.append("rows_done, batches, finished_at\n    INTO ");
        for (int i = 0; i < key.size(); i++) {
            b.append("v_last_").append(i).append(", ");
        }
        for (int i = 0; i < key.size(); i++) {
            b.append("v_end_").append(i).append(", ");
        }
        b.append("v_rows, v_batches, v_finished\n    FROM ").append(PROGRESS_TABLE).append(" WHERE migration = ").append(m)
                .append(" AND step = ").append(s).append(";\n");
        b.append("  IF v_finished IS NOT NULL THEN\n");
        b.append("    RAISE NOTICE 'zerodown: backfill % already finished at %', ").append(s).append(", v_finished;\n");
        b.append("    RETURN;\n  END IF;\n");
        // Rows written once the sync trigger exists are filled by it; the backfill only needs the
        // rows that existed before, whose keys are at most the greatest key when it first starts.
        b.append("  IF v_end_0 IS NULL THEN\n");
        b.append("    SELECT ").append(keyList()).append(" INTO ").append(joinVars("v_end_")).append(" FROM ").append(t)
                .append(" ORDER BY ").append(keyDesc()).append(" LIMIT 1;\n");
        b.append("    UPDATE ").append(PROGRESS_TABLE).append(" SET end_key = ARRAY[").append(textArray("v_end_"))
                .append("] WHERE migration = ").append(m).append(" AND step = ").append(s).append(";\n");
        b.append("  END IF;\n");
        b.append("  COMMIT;\n");
        b.append("  <<batches>>\n  LOOP\n");
        b.append("    EXIT batches WHEN v_max_run > 0 AND v_run >= v_max_run;\n");
        b.append("    v_attempt := 0;\n");
        b.append("    <<attempts>>\n    LOOP\n      BEGIN\n");
        b.append("        PERFORM set_config('lock_timeout', ").append(PgSql.setting(lockPolicy.lockTimeout())).append(", true);\n");
        b.append("        IF v_last_0 IS NULL THEN\n");
        b.append(PgLockRetry.indent(batchStatement(t, false), "          ")).append(";\n");
        b.append("        ELSE\n");
        b.append(PgLockRetry.indent(batchStatement(t, true), "          ")).append(";\n");
        b.append("        END IF;\n");
        b.append("        EXIT attempts;\n");
        b.append("      EXCEPTION WHEN lock_not_available OR deadlock_detected THEN\n");
        b.append("        v_attempt := v_attempt + 1;\n");
        b.append("        IF v_attempt >= ").append(lockPolicy.attempts()).append(" THEN\n          RAISE;\n        END IF;\n");
        b.append("        RAISE NOTICE 'zerodown: batch could not lock its rows (%), retry % of ").append(lockPolicy.attempts())
                .append("', SQLERRM, v_attempt;\n");
        b.append("        PERFORM pg_sleep(least(").append(PgSql.seconds(lockPolicy.maxBackoff())).append(", ")
                .append(PgSql.seconds(lockPolicy.firstBackoff())).append(" * 2 ^ v_attempt) * (0.5 + random() / 2));\n");
        b.append("      END;\n    END LOOP attempts;\n");
        b.append("    EXIT batches WHEN v_next_0 IS NULL;\n");
        for (int i = 0; i < key.size(); i++) {
            b.append("    v_last_").append(i).append(" := v_next_").append(i).append(";\n");
        }
        b.append("    v_rows := v_rows + v_touched;\n");
        b.append("    v_batches := v_batches + 1;\n");
        b.append("    v_run := v_run + 1;\n");
        b.append("    UPDATE ").append(PROGRESS_TABLE).append(" SET last_key = ARRAY[");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            keys.add("v_last_" + i + "::text");
        }
        b.append(String.join(", ", keys)).append("], rows_done = v_rows, batches = v_batches, updated_at = now()\n");
        b.append("      WHERE migration = ").append(m).append(" AND step = ").append(s).append(";\n");
        b.append("    COMMIT;\n");
        b.append("    RAISE NOTICE 'zerodown: backfill %: batch % done, % rows written so far, last key %', ").append(s)
                .append(", v_batches, v_rows, ").append(keys.size() == 1 ? keys.get(0) : "ARRAY[" + String.join(", ", keys) + "]")
                .append(";\n");
        if (!batching.pause().isZero()) {
            b.append("    PERFORM pg_sleep(").append(PgSql.seconds(batching.pause())).append(");\n");
        }
        b.append("  END LOOP batches;\n");
        b.append("  IF v_next_0 IS NULL THEN\n");
        b.append("    UPDATE ").append(PROGRESS_TABLE).append(" SET finished_at = now(), updated_at = now() WHERE migration = ")
                .append(m).append(" AND step = ").append(s).append(";\n");
        b.append("    COMMIT;\n");
        b.append("    RAISE NOTICE 'zerodown: backfill % finished: % rows written in % batches', ").append(s)
                .append(", v_rows, v_batches;\n");
        b.append("  ELSE\n");
        b.append("    RAISE NOTICE 'zerodown: backfill % paused after % batches (zerodown.max_batches); run the step again to continue', ")
                .append(s).append(", v_run;\n");
        b.append("  END IF;\n");
        b.append("END\n");
        return "DO " + PgSql.dollarQuote(b.toString(), "zerodown");
    }

    /**
     * One batch: find the last key of the next {@code size} keys (an index-only range scan of the
     * primary key), then update the rows between the previous last key and it. Both statements
     * bound the key on both sides, so each batch reads only its own range of the index whatever
     * the planner's statistics say; a join against the batch's keys could instead scan the whole
     * table for every batch when statistics are stale.
     */
    private String batchStatement(String t, boolean after) {
        String keyList = keyList();
        String keyDesc = keyDesc();
        String rowKeys = key.stream().map(c -> ROW + "." + PgSql.quote(c.name())).collect(Collectors.joining(", "));
        String lastVars = joinVars("zd.v_last_");
        String nextVars = joinVars("zd.v_next_");
        String upTo = tuple(keyList) + " <= " + tuple(joinVars("zd.v_end_"));
        String fromLast = after ? " WHERE " + tuple(keyList) + " > " + tuple(lastVars) + " AND " + upTo : " WHERE " + upTo;
        String lower = after ? tuple(rowKeys) + " > " + tuple(lastVars) + " AND " : "";
        return "SELECT " + keyList + " INTO " + joinVars("v_next_") + "\n"
                + "  FROM (SELECT " + keyList + " FROM " + t + fromLast + " ORDER BY " + keyList + " LIMIT " + batching.size() + ") AS zd_batch\n"
                + "  ORDER BY " + keyDesc + " LIMIT 1;\n"
                + "v_touched := 0;\n"
                + "IF v_next_0 IS NOT NULL THEN\n"
                + "  UPDATE " + t + " AS " + ROW + " SET " + set + "\n"
                + "    WHERE " + lower + tuple(rowKeys) + " <= " + tuple(nextVars) + "\n"
                + "      AND (" + needsFill + ");\n"
                + "  GET DIAGNOSTICS v_touched = ROW_COUNT;\n"
                + "END IF";
    }

    private String keyList() {
        return key.stream().map(c -> PgSql.quote(c.name())).collect(Collectors.joining(", "));
    }

    private String keyDesc() {
        return key.stream().map(c -> PgSql.quote(c.name()) + " DESC").collect(Collectors.joining(", "));
    }

    private String textArray(String prefix) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            items.add(prefix + i + "::text");
        }
        return String.join(", ", items);
    }

    private String tuple(String list) {
        return key.size() == 1 ? list : "(" + list + ")";
    }

    private String joinVars(String prefix) {
        List<String> vars = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            vars.add(prefix + i);
        }
        return String.join(", ", vars);
    }
}
