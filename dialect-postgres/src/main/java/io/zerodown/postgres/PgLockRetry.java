package io.zerodown.postgres;

import io.zerodown.model.context.LockPolicy;
import java.util.List;

/**
 * Wraps statements that need a blocking lock in a {@code DO} block that sets {@code lock_timeout}
 * and retries on SQLSTATE 55P03 with exponential backoff and jitter.
 *
 * <p>Each attempt runs in a subtransaction: when the lock wait times out, the attempt is rolled
 * back and every lock it took is released before the sleep, so no other session queues behind a
 * sleeping migration. The block is one transaction: the statements take effect together. It must
 * not contain statements that refuse to run inside a function ({@code CREATE INDEX CONCURRENTLY},
 * {@code VACUUM}).
 */
final class PgLockRetry {

    private PgLockRetry() {
    }

    /**
     * The statements (static SQL or PL/pgSQL, each without its final semicolon), retried as a unit.
     */
    static String wrap(LockPolicy policy, List<String> statements) {
        StringBuilder body = new StringBuilder();
        body.append("\nDECLARE\n  attempt integer := 0;\nBEGIN\n  LOOP\n    BEGIN\n");
        body.append("      PERFORM set_config('lock_timeout', ").append(PgSql.setting(policy.lockTimeout())).append(", true);\n");
        for (String statement : statements) {
            body.append(indent(statement, "      ")).append(";\n");
        }
        body.append("      EXIT;\n");
        body.append("    EXCEPTION WHEN lock_not_available THEN\n");
        body.append("      attempt := attempt + 1;\n");
        body.append("      IF attempt >= ").append(policy.attempts()).append(" THEN\n");
        body.append("        RAISE EXCEPTION 'zerodown: gave up after % attempts to lock within ")
                .append(policy.lockTimeout().toMillis()).append(" ms', attempt\n");
        body.append("          USING ERRCODE = 'lock_not_available',\n");
        body.append("                HINT = 'Another session holds a conflicting lock. Find it with pg_blocking_pids() (see the execution plan), then run the script again: completed steps are skipped.';\n");
        body.append("      END IF;\n");
        body.append("      RAISE NOTICE 'zerodown: lock not available within ").append(policy.lockTimeout().toMillis())
                .append(" ms (attempt % of ").append(policy.attempts()).append("), retrying', attempt;\n");
        body.append("      PERFORM pg_sleep(least(").append(PgSql.seconds(policy.maxBackoff())).append(", ")
                .append(PgSql.seconds(policy.firstBackoff())).append(" * 2 ^ attempt) * (0.5 + random() / 2));\n");
        body.append("    END;\n  END LOOP;\nEND\n");
        return "DO " + PgSql.dollarQuote(body.toString(), "zerodown");
    }

    static String indent(String text, String prefix) {
        return String.join("\n", text.lines().map(l -> l.isEmpty() ? l : prefix + l).toList());
    }
}
