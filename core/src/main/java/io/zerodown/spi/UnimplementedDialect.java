package io.zerodown.spi;

import io.zerodown.model.SqlName;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Step;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A dialect that is registered, so that a target naming it gets a clear answer, but not
 * implemented yet: {@link #versionProblem(Target)} refuses every target with that reason, so
 * nothing is ever parsed, compiled or rendered for it through {@code Zerodown}.
 */
public abstract class UnimplementedDialect implements Dialect {

    private final String name;
    private final Set<String> names;
    private final String reason;

    protected UnimplementedDialect(String name, Set<String> names, String displayName) {
        this.name = name;
        this.names = Set.copyOf(names);
        this.reason = displayName + " support is not implemented yet: zerodown compiles for PostgreSQL 12 to 18 only";
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean handles(String dialectName) {
        return names.contains(dialectName);
    }

    @Override
    public final Optional<String> versionProblem(Target target) {
        return Optional.of(reason);
    }

    @Override
    public final String quote(SqlName identifier) {
        throw new UnsupportedOperationException(reason);
    }

    @Override
    public final Schema parseSchema(String ddl) {
        throw new UnsupportedOperationException(reason);
    }

    @Override
    public final List<String> problems(Operation operation, Schema schema, MigrationContext context) {
        return List.of(reason);
    }

    @Override
    public final CompiledOperation compile(Operation operation, Schema schema, MigrationContext context, int sequence) {
        throw new UnsupportedOperationException(reason);
    }

    @Override
    public final GeneralAdvice generalAdvice(List<Step> steps, MigrationContext context) {
        throw new UnsupportedOperationException(reason);
    }

    @Override
    public final String render(ScriptHeader header, List<Step> steps) {
        throw new UnsupportedOperationException(reason);
    }
}
