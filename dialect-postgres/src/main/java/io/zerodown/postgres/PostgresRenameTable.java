package io.zerodown.postgres;

import io.zerodown.model.operation.RenameTable;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Rename table on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresRenameTable implements PgCompiler<RenameTable> {

    @Override
    public List<String> problems(RenameTable op, PgContext ctx) {
        return List.of("rename table is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(RenameTable op, PgContext ctx) {
        throw new IllegalStateException("rename table is not implemented for PostgreSQL yet");
    }
}
