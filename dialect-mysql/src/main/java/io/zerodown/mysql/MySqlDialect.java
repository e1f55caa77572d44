package io.zerodown.mysql;

import io.zerodown.model.SqlName;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Step;
import io.zerodown.spi.CompiledOperation;
import io.zerodown.spi.Dialect;
import io.zerodown.spi.GeneralAdvice;
import io.zerodown.spi.ScriptHeader;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * MySQL and MariaDB: registered so that a target naming it gets a clear answer, but not implemented yet. Every
 * target is refused by {@link #versionProblem(Target)} with that reason, so nothing is ever
 * compiled, parsed or rendered for it (those methods are unreachable through {@code Zerodown}).
 */
public final class MySqlDialect implements Dialect {

    private static final Set<String> NAMES = Set.of("mysql", "mariadb");
    private static final String NOT_YET = "MySQL and MariaDB support is not implemented yet: zerodown compiles for PostgreSQL 12 to 18 only";

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public boolean handles(String dialectName) {
        return NAMES.contains(dialectName);
    }

    @Override
    public Optional<String> versionProblem(Target target) {
        return Optional.of(NOT_YET);
    }

    @Override
    public String quote(SqlName name) {
        throw new UnsupportedOperationException(NOT_YET);
    }

    @Override
    public Schema parseSchema(String ddl) {
        throw new UnsupportedOperationException(NOT_YET);
    }

    @Override
    public List<String> problems(Operation operation, Schema schema, MigrationContext context) {
        return List.of(NOT_YET);
    }

    @Override
    public CompiledOperation compile(Operation operation, Schema schema, MigrationContext context, int sequence) {
        throw new UnsupportedOperationException(NOT_YET);
    }

    @Override
    public GeneralAdvice generalAdvice(List<Step> steps, MigrationContext context) {
        throw new UnsupportedOperationException(NOT_YET);
    }

    @Override
    public String render(ScriptHeader header, List<Step> steps) {
        throw new UnsupportedOperationException(NOT_YET);
    }
}
