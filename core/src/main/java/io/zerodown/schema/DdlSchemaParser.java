package io.zerodown.schema;

import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.model.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns DDL into the schema a database would have after running it.
 *
 * <p>Understood, in PostgreSQL's syntax (other dialects fold names and pick default names through
 * their {@link SchemaConventions}):
 * <ul>
 *   <li>{@code CREATE TABLE [IF NOT EXISTS] t (…)} with columns (type with length, precision and
 *       array dimensions; {@code NULL} / {@code NOT NULL}; {@code DEFAULT expr}; {@code PRIMARY KEY};
 *       {@code UNIQUE}; {@code CHECK (…)}; {@code REFERENCES t [(c)] [ON DELETE / ON UPDATE action]};
 *       {@code GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY}; {@code GENERATED ALWAYS AS (expr) STORED};
 *       serial types) and table constraints ({@code [CONSTRAINT name] PRIMARY KEY / UNIQUE / CHECK /
 *       FOREIGN KEY … REFERENCES …});</li>
 *   <li>{@code CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON t [USING method]
 *       (columns or expressions [ASC | DESC]) [WHERE predicate]};</li>
 *   <li>{@code ALTER TABLE [ONLY] t ADD [CONSTRAINT name] PRIMARY KEY / UNIQUE / CHECK / FOREIGN KEY …
 *       [NOT VALID]}, several separated by commas.</li>
 * </ul>
 * Comments and empty statements are ignored. Table names may carry a schema ({@code public.users})
 * as long as it is the same one throughout.
 *
 * <p>Everything else is an error, never skipped: a statement that cannot be read, a statement of
 * another kind ({@code SET}, {@code CREATE VIEW}, {@code DROP} …), a clause that the model cannot
 * represent ({@code COLLATE}, {@code DEFERRABLE}, {@code INCLUDE} …), a reference to a table or column
 * that does not exist, a table created twice. All problems of the script are collected and thrown
 * together, each located as {@code DDL statement 3 (line 7)} (the line of the statement's first
 * token) and quoting the start of the statement.
 *
 * <p>Expressions (defaults, checks, generated columns, index expressions and predicates) must each be
 * one SQL expression JSqlParser can read; they are kept as written, except defaults, which the
 * conventions may respell as the database prints them.
 */
public final class DdlSchemaParser {

    private final SchemaConventions conventions;

    public DdlSchemaParser(SchemaConventions conventions) {
        this.conventions = Objects.requireNonNull(conventions, "conventions");
    }

    /**
     * The schema the DDL describes.
     *
     * @throws MigrationValidationException listing every problem of the script, if there is any
     */
    public Schema parse(String ddl) {
        Objects.requireNonNull(ddl, "ddl");
        SchemaBuilder builder = new SchemaBuilder(conventions);
        List<Problem> problems = new ArrayList<>();
        for (SourceStatement statement : DdlLexer.split(ddl)) {
            List<String> messages = new ArrayList<>();
            if (statement.lexicalError().isPresent()) {
                messages.add(statement.lexicalError().get() + " (nothing after it can be read)");
            } else {
                try {
                    builder.apply(DdlStatementParser.parse(statement), statement.number(), messages::add);
                } catch (DdlSyntaxError e) {
                    messages.add(e.getMessage());
                }
            }
            for (String message : messages) {
                problems.add(new Problem(statement.location(), statement.preview() + ": " + message));
            }
        }
        if (!problems.isEmpty()) {
            throw new MigrationValidationException(problems);
        }
        return builder.schema();
    }
}
