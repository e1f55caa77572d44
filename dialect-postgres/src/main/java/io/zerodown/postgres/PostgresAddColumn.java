package io.zerodown.postgres;

import io.zerodown.model.operation.AddColumn;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Add column on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresAddColumn implements PgCompiler<AddColumn> {

    @Override
    public List<String> problems(AddColumn op, PgContext ctx) {
        return List.of("add column is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(AddColumn op, PgContext ctx) {
        throw new IllegalStateException("add column is not implemented for PostgreSQL yet");
    }
}
