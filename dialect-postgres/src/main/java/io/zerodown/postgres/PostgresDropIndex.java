package io.zerodown.postgres;

import io.zerodown.model.operation.DropIndex;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Drop index on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresDropIndex implements PgCompiler<DropIndex> {

    @Override
    public List<String> problems(DropIndex op, PgContext ctx) {
        return List.of("drop index is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(DropIndex op, PgContext ctx) {
        throw new IllegalStateException("drop index is not implemented for PostgreSQL yet");
    }
}
