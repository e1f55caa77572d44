package io.zerodown.postgres;

import io.zerodown.model.operation.CreateTable;
import io.zerodown.spi.CompiledOperation;
import java.util.List;

/** Create table on PostgreSQL: not implemented yet, so every use is reported as a problem and nothing is compiled. */
final class PostgresCreateTable implements PgCompiler<CreateTable> {

    @Override
    public List<String> problems(CreateTable op, PgContext ctx) {
        return List.of("create table is not implemented for PostgreSQL yet");
    }

    @Override
    public CompiledOperation compile(CreateTable op, PgContext ctx) {
        throw new IllegalStateException("create table is not implemented for PostgreSQL yet");
    }
}
