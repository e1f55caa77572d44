package io.zerodown.postgres;

import io.zerodown.model.operation.Reindex;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Reindex on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresReindex implements PgCompiler<Reindex> {

    @Override
    public List<String> problems(Reindex op, PgContext ctx) {
        return List.of("reindex is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(Reindex op, PgContext ctx) {
        throw new IllegalStateException("reindex is not implemented for PostgreSQL yet");
    }
}
