package io.zerodown.postgres;

import io.zerodown.model.SqlName;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.Target;
import io.zerodown.model.context.Version;
import io.zerodown.model.operation.CreateIndex;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.operation.OperationVisitor;
import io.zerodown.model.operation.SplitColumn;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Step;
import io.zerodown.postgres.schema.PostgresConventions;
import io.zerodown.schema.DdlSchemaParser;
import io.zerodown.spi.CompiledOperation;
import io.zerodown.spi.Dialect;
import io.zerodown.spi.GeneralAdvice;
import io.zerodown.spi.ScriptHeader;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL 12 to 18. Registered for {@link java.util.ServiceLoader}; chosen for the target
 * names {@code postgresql}, {@code postgres} and {@code pg}.
 */
public final class PostgresDialect implements Dialect {

    private static final Set<String> NAMES = Set.of("postgresql", "postgres", "pg");

    private final PostgresSplitColumn splitColumn = new PostgresSplitColumn();
    private final PostgresCreateIndex createIndex = new PostgresCreateIndex();

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean handles(String dialectName) {
        return NAMES.contains(dialectName);
    }

    @Override
    public Optional<String> versionProblem(Target target) {
        int major = target.version().major();
        if (major < PostgresFacts.OLDEST_MAJOR || major > PostgresFacts.NEWEST_MAJOR) {
            return Optional.of("PostgreSQL " + target.version() + " is not supported; zerodown compiles for PostgreSQL "
                    + PostgresFacts.OLDEST_MAJOR + " to " + PostgresFacts.NEWEST_MAJOR);
        }
        return Optional.empty();
    }

    @Override
    public String quote(SqlName name) {
        return PgSql.quote(name);
    }

    @Override
    public Schema parseSchema(String ddl) {
        return new DdlSchemaParser(new PostgresConventions()).parse(ddl);
    }

    @Override
    public List<String> problems(Operation operation, Schema schema, MigrationContext context) {
        PgContext ctx = new PgContext(schema, context, facts(context), 0);
        return operation.accept(new OperationVisitor<>() {
            @Override
            public List<String> visitSplitColumn(SplitColumn op) {
                return splitColumn.problems(op, ctx);
            }

            @Override
            public List<String> visitCreateIndex(CreateIndex op) {
                return createIndex.problems(op, ctx);
            }
        });
    }

    @Override
    public CompiledOperation compile(Operation operation, Schema schema, MigrationContext context, int sequence) {
        PgContext ctx = new PgContext(schema, context, facts(context), sequence);
        return operation.accept(new OperationVisitor<>() {
            @Override
            public CompiledOperation visitSplitColumn(SplitColumn op) {
                return splitColumn.compile(op, ctx);
            }

            @Override
            public CompiledOperation visitCreateIndex(CreateIndex op) {
                return createIndex.compile(op, ctx);
            }
        });
    }

    @Override
    public GeneralAdvice generalAdvice(List<Step> steps, MigrationContext context) {
        return PostgresAdvice.of(steps, context, facts(context));
    }

    @Override
    public String render(ScriptHeader header, List<Step> steps) {
        return new PsqlRenderer().render(header, steps);
    }

    private static PostgresFacts facts(MigrationContext context) {
        Version version = context.target().version();
        return new PostgresFacts(version);
    }
}
