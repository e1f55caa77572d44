package io.zerodown.postgres;

import io.zerodown.model.operation.DropConstraint;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Drop constraint on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresDropConstraint implements PgCompiler<DropConstraint> {

    @Override
    public List<String> problems(DropConstraint op, PgContext ctx) {
        return List.of("drop constraint is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(DropConstraint op, PgContext ctx) {
        throw new IllegalStateException("drop constraint is not implemented for PostgreSQL yet");
    }
}
