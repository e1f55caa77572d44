package io.zerodown.postgres;

import io.zerodown.model.operation.MergeColumns;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Merge columns on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresMergeColumns implements PgCompiler<MergeColumns> {

    @Override
    public List<String> problems(MergeColumns op, PgContext ctx) {
        return List.of("merge columns is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(MergeColumns op, PgContext ctx) {
        throw new IllegalStateException("merge columns is not implemented for PostgreSQL yet");
    }
}
