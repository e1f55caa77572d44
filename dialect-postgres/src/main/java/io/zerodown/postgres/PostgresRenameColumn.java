package io.zerodown.postgres;

import io.zerodown.model.operation.RenameColumn;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Rename column on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresRenameColumn implements PgCompiler<RenameColumn> {

    @Override
    public List<String> problems(RenameColumn op, PgContext ctx) {
        return List.of("rename column is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(RenameColumn op, PgContext ctx) {
        throw new IllegalStateException("rename column is not implemented for PostgreSQL yet");
    }
}
