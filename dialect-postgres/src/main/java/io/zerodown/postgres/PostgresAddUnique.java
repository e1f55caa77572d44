package io.zerodown.postgres;

import io.zerodown.model.operation.AddUnique;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Add unique on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresAddUnique implements PgCompiler<AddUnique> {

    @Override
    public List<String> problems(AddUnique op, PgContext ctx) {
        return List.of("add unique is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(AddUnique op, PgContext ctx) {
        throw new IllegalStateException("add unique is not implemented for PostgreSQL yet");
    }
}
