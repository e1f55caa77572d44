package io.zerodown.postgres;

import io.zerodown.model.operation.DropDefault;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Drop default on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresDropDefault implements PgCompiler<DropDefault> {

    @Override
    public List<String> problems(DropDefault op, PgContext ctx) {
        return List.of("drop default is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(DropDefault op, PgContext ctx) {
        throw new IllegalStateException("drop default is not implemented for PostgreSQL yet");
    }
}
