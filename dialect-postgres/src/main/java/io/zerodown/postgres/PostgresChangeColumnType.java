package io.zerodown.postgres;

import io.zerodown.model.operation.ChangeColumnType;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Change column type on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresChangeColumnType implements PgCompiler<ChangeColumnType> {

    @Override
    public List<String> problems(ChangeColumnType op, PgContext ctx) {
        return List.of("change column type is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(ChangeColumnType op, PgContext ctx) {
        throw new IllegalStateException("change column type is not implemented for PostgreSQL yet");
    }
}
