package io.zerodown.postgres;

import io.zerodown.model.operation.Operation;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Compiles one kind of operation for PostgreSQL; one implementation per operation. */
interface PgCompiler<O extends Operation> {

    /** PostgreSQL-specific problems (the dialect-free ones are already checked). */
    List<String> problems(O operation, PgContext context);

    /** Steps and advice for a valid operation. */
    CompiledOperation compile(O operation, PgContext context);
}
