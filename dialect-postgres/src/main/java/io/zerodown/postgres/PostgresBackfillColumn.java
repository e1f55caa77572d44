package io.zerodown.postgres;

import io.zerodown.model.operation.BackfillColumn;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Backfill column on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresBackfillColumn implements PgCompiler<BackfillColumn> {

    @Override
    public List<String> problems(BackfillColumn op, PgContext ctx) {
        return List.of("backfill column is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(BackfillColumn op, PgContext ctx) {
        throw new IllegalStateException("backfill column is not implemented for PostgreSQL yet");
    }
}
