package io.zerodown.postgres;

import io.zerodown.model.operation.DropNotNull;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Drop not null on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresDropNotNull implements PgCompiler<DropNotNull> {

    @Override
    public List<String> problems(DropNotNull op, PgContext ctx) {
        return List.of("drop not null is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(DropNotNull op, PgContext ctx) {
        throw new IllegalStateException("drop not null is not implemented for PostgreSQL yet");
    }
}
