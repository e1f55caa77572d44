package io.zerodown.postgres;

import io.zerodown.model.operation.SetDefault;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Set default on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresSetDefault implements PgCompiler<SetDefault> {

    @Override
    public List<String> problems(SetDefault op, PgContext ctx) {
        return List.of("set default is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(SetDefault op, PgContext ctx) {
        throw new IllegalStateException("set default is not implemented for PostgreSQL yet");
    }
}
