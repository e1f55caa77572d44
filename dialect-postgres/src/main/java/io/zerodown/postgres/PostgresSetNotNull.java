package io.zerodown.postgres;

import io.zerodown.model.operation.SetNotNull;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Set not null on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresSetNotNull implements PgCompiler<SetNotNull> {

    @Override
    public List<String> problems(SetNotNull op, PgContext ctx) {
        return List.of("set not null is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(SetNotNull op, PgContext ctx) {
        throw new IllegalStateException("set not null is not implemented for PostgreSQL yet");
    }
}
