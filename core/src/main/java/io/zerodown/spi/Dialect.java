package io.zerodown.spi;

import io.zerodown.model.SqlName;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Step;
import java.util.List;

/**
 * A database back-end: parses its DDL, compiles operations into steps with locks, risks and
 * advice, and renders scripts. Found with {@link java.util.ServiceLoader} (register the class in
 * {@code META-INF/services/io.zerodown.spi.Dialect}) and chosen by {@link #supports(Target)}.
 */
public interface Dialect {

    /** The canonical name: {@code postgresql}, {@code mysql}, {@code sqlite}. */
    String name();

    /** Whether this dialect compiles for the target's name (or one of its aliases). */
    boolean handles(String dialectName);

    /** Why this dialect cannot compile for the target's version, or empty when it can. */
    java.util.Optional<String> versionProblem(Target target);

    /** Quotes an identifier for this database, whatever characters it holds. */
    String quote(SqlName name);

    /**
     * Parses DDL into a schema, naming unnamed constraints and normalising types as this
     * database does.
     *
     * @throws io.zerodown.MigrationValidationException naming the statement and line of every
     *         statement that cannot be parsed or is not understood
     */
    Schema parseSchema(String ddl);

    /** Problems with the operation on this database (beyond the dialect-free ones). */
    List<String> problems(Operation operation, Schema schema, MigrationContext context);

    /**
     * Compiles a valid operation into steps.
     *
     * @param operation the operation, already validated
     * @param schema    the schema it runs on (after the operations before it)
     * @param context   the migration's context
     * @param sequence  the operation's position in the plan, from 1, for unique step ids
     */
    CompiledOperation compile(Operation operation, Schema schema, MigrationContext context, int sequence);

    /** Advice for the whole package. */
    GeneralAdvice generalAdvice(List<Step> steps, MigrationContext context);

    /** Renders steps into one script for this database's usual client. */
    String render(ScriptHeader header, List<Step> steps);
}
