package io.zerodown.postgres;

import io.zerodown.model.operation.DropTable;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Drop table on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresDropTable implements PgCompiler<DropTable> {

    @Override
    public List<String> problems(DropTable op, PgContext ctx) {
        return List.of("drop table is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(DropTable op, PgContext ctx) {
        throw new IllegalStateException("drop table is not implemented for PostgreSQL yet");
    }
}
