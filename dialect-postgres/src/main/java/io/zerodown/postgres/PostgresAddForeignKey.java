package io.zerodown.postgres;

import io.zerodown.model.operation.AddForeignKey;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Add foreign key on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresAddForeignKey implements PgCompiler<AddForeignKey> {

    @Override
    public List<String> problems(AddForeignKey op, PgContext ctx) {
        return List.of("add foreign key is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(AddForeignKey op, PgContext ctx) {
        throw new IllegalStateException("add foreign key is not implemented for PostgreSQL yet");
    }
}
