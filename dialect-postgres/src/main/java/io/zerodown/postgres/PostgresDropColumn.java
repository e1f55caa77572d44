package io.zerodown.postgres;

import io.zerodown.model.operation.DropColumn;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Drop column on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresDropColumn implements PgCompiler<DropColumn> {

    @Override
    public List<String> problems(DropColumn op, PgContext ctx) {
        return List.of("drop column is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(DropColumn op, PgContext ctx) {
        throw new IllegalStateException("drop column is not implemented for PostgreSQL yet");
    }
}
