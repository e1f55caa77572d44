package io.zerodown.postgres;

import io.zerodown.model.SqlName;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.Target;
import io.zerodown.model.context.Version;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.operation.OperationVisitor;
import io.zerodown.model.operation.AddCheck;
import io.zerodown.model.operation.AddColumn;
import io.zerodown.model.operation.AddForeignKey;
import io.zerodown.model.operation.AddPrimaryKey;
import io.zerodown.model.operation.AddUnique;
import io.zerodown.model.operation.BackfillColumn;
import io.zerodown.model.operation.ChangeColumnType;
import io.zerodown.model.operation.CreateIndex;
import io.zerodown.model.operation.CreateTable;
import io.zerodown.model.operation.DropColumn;
import io.zerodown.model.operation.DropConstraint;
import io.zerodown.model.operation.DropDefault;
import io.zerodown.model.operation.DropIndex;
import io.zerodown.model.operation.DropNotNull;
import io.zerodown.model.operation.DropTable;
import io.zerodown.model.operation.MergeColumns;
import io.zerodown.model.operation.Reindex;
import io.zerodown.model.operation.RenameColumn;
import io.zerodown.model.operation.RenameTable;
import io.zerodown.model.operation.SetDefault;
import io.zerodown.model.operation.SetNotNull;
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
        return bind(operation).problems(new PgContext(schema, context, facts(context), 0));
    }

    @Override
    public CompiledOperation compile(Operation operation, Schema schema, MigrationContext context, int sequence) {
        return bind(operation).compile(new PgContext(schema, context, facts(context), sequence));
    }

    /** The operation with its compiler: one compiler class per operation. */
    private record Bound<O extends Operation>(PgCompiler<O> compiler, O operation) {
        List<String> problems(PgContext ctx) {
            return compiler.problems(operation, ctx);
        }

        CompiledOperation compile(PgContext ctx) {
            return compiler.compile(operation, ctx);
        }
    }

    private static Bound<?> bind(Operation operation) {
        return operation.accept(new OperationVisitor<Bound<?>>() {
            @Override
            public Bound<?> visitSplitColumn(SplitColumn op) {
                return new Bound<>(new PostgresSplitColumn(), op);
            }

            @Override
            public Bound<?> visitCreateIndex(CreateIndex op) {
                return new Bound<>(new PostgresCreateIndex(), op);
            }

            @Override
            public Bound<?> visitAddColumn(AddColumn op) {
                return new Bound<>(new PostgresAddColumn(), op);
            }

            @Override
            public Bound<?> visitDropColumn(DropColumn op) {
                return new Bound<>(new PostgresDropColumn(), op);
            }

            @Override
            public Bound<?> visitRenameColumn(RenameColumn op) {
                return new Bound<>(new PostgresRenameColumn(), op);
            }

            @Override
            public Bound<?> visitRenameTable(RenameTable op) {
                return new Bound<>(new PostgresRenameTable(), op);
            }

            @Override
            public Bound<?> visitChangeColumnType(ChangeColumnType op) {
                return new Bound<>(new PostgresChangeColumnType(), op);
            }

            @Override
            public Bound<?> visitMergeColumns(MergeColumns op) {
                return new Bound<>(new PostgresMergeColumns(), op);
            }

            @Override
            public Bound<?> visitBackfillColumn(BackfillColumn op) {
                return new Bound<>(new PostgresBackfillColumn(), op);
            }

            @Override
            public Bound<?> visitSetNotNull(SetNotNull op) {
                return new Bound<>(new PostgresSetNotNull(), op);
            }

            @Override
            public Bound<?> visitDropNotNull(DropNotNull op) {
                return new Bound<>(new PostgresDropNotNull(), op);
            }

            @Override
            public Bound<?> visitSetDefault(SetDefault op) {
                return new Bound<>(new PostgresSetDefault(), op);
            }

            @Override
            public Bound<?> visitDropDefault(DropDefault op) {
                return new Bound<>(new PostgresDropDefault(), op);
            }

            @Override
            public Bound<?> visitAddForeignKey(AddForeignKey op) {
                return new Bound<>(new PostgresAddForeignKey(), op);
            }

            @Override
            public Bound<?> visitAddCheck(AddCheck op) {
                return new Bound<>(new PostgresAddCheck(), op);
            }

            @Override
            public Bound<?> visitAddUnique(AddUnique op) {
                return new Bound<>(new PostgresAddUnique(), op);
            }

            @Override
            public Bound<?> visitAddPrimaryKey(AddPrimaryKey op) {
                return new Bound<>(new PostgresAddPrimaryKey(), op);
            }

            @Override
            public Bound<?> visitDropConstraint(DropConstraint op) {
                return new Bound<>(new PostgresDropConstraint(), op);
            }

            @Override
            public Bound<?> visitDropIndex(DropIndex op) {
                return new Bound<>(new PostgresDropIndex(), op);
            }

            @Override
            public Bound<?> visitReindex(Reindex op) {
                return new Bound<>(new PostgresReindex(), op);
            }

            @Override
            public Bound<?> visitCreateTable(CreateTable op) {
                return new Bound<>(new PostgresCreateTable(), op);
            }

            @Override
            public Bound<?> visitDropTable(DropTable op) {
                return new Bound<>(new PostgresDropTable(), op);
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
