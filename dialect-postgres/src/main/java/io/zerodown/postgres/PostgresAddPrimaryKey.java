package io.zerodown.postgres;

import io.zerodown.model.operation.AddPrimaryKey;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Add primary key on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresAddPrimaryKey implements PgCompiler<AddPrimaryKey> {

    @Override
    public List<String> problems(AddPrimaryKey op, PgContext ctx) {
        return List.of("add primary key is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(AddPrimaryKey op, PgContext ctx) {
        throw new IllegalStateException("add primary key is not implemented for PostgreSQL yet");
    }
}
