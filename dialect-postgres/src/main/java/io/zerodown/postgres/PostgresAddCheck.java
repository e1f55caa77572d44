package io.zerodown.postgres;

import io.zerodown.model.operation.AddCheck;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Add check on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresAddCheck implements PgCompiler<AddCheck> {

    @Override
    public List<String> problems(AddCheck op, PgContext ctx) {
        return List.of("add check is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(AddCheck op, PgContext ctx) {
        throw new IllegalStateException("add check is not implemented for PostgreSQL yet");
    }
}
