package io.zerodown.schema;

import io.zerodown.model.SqlType;
import io.zerodown.model.schema.Constraint.ReferentialAction;
import io.zerodown.schema.Ddl.Check;
import io.zerodown.schema.Ddl.ColumnDef;
import io.zerodown.schema.Ddl.Expr;
import io.zerodown.schema.Ddl.ForeignKey;
import io.zerodown.schema.Ddl.Generated;
import io.zerodown.schema.Ddl.IndexElement;
import io.zerodown.schema.Ddl.Key;
import io.zerodown.schema.Ddl.Name;
import io.zerodown.schema.Ddl.QualifiedName;
import io.zerodown.schema.Ddl.TableConstraint;
import io.zerodown.schema.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one statement's tokens as CREATE TABLE, CREATE INDEX or ALTER TABLE … ADD constraint, in
 * PostgreSQL's syntax. Whatever it does not understand is an error naming what was expected and
 * what was found; nothing is skipped.
 */
final class DdlStatementParser {

    private static final String SUPPORTED = "zerodown reads only CREATE TABLE, CREATE INDEX and ALTER TABLE … ADD "
            + "[CONSTRAINT …] PRIMARY KEY / UNIQUE / CHECK / FOREIGN KEY";

    /** Words that end a DEFAULT expression: the start of the column's next clause. */
    private static final Set<String> COLUMN_CLAUSES = Set.of("CONSTRAINT", "NOT", "NULL", "PRIMARY", "UNIQUE", "CHECK",
            "REFERENCES", "DEFAULT", "GENERATED", "COLLATE", "DEFERRABLE", "INITIALLY");

    private static final Set<String> TABLE_CONSTRAINTS = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
            "EXCLUDE", "LIKE");

    private final TokenCursor in;

    private DdlStatementParser(SourceStatement statement) {
        this.in = new TokenCursor(statement);
    }

    /** The statement's syntax. */
    static Ddl parse(SourceStatement statement) throws DdlSyntaxError {
        return new DdlStatementParser(statement).statement();
    }

    private Ddl statement() throws DdlSyntaxError {
        Ddl result;
        if (in.accept("CREATE")) {
            result = create();
        } else if (in.accept("ALTER")) {
            if (!in.accept("TABLE")) {
                throw unsupported("ALTER " + in.peekText());
            }
            result = alterTable();
        } else {
            throw unsupported(in.peekText());
        }
        if (!in.atEnd()) {
            throw in.expected("the end of the statement");
        }
        return result;
    }

    private Ddl create() throws DdlSyntaxError {
        if (in.accept("TABLE")) {
            return createTable();
        }
        if (in.peekIs("UNIQUE") && in.peekIs(1, "INDEX")) {
            in.advance(2);
            return createIndex(true);
        }
        if (in.accept("INDEX")) {
            return createIndex(false);
        }
        if (in.peekIs("TEMP") || in.peekIs("TEMPORARY") || in.peekIs("GLOBAL") || in.peekIs("LOCAL") || in.peekIs("UNLOGGED")) {
            throw new DdlSyntaxError(word(in.peekText()) + " tables are not supported: " + SUPPORTED
                    + " (a temporary table is not part of the schema; for an unlogged one, remove UNLOGGED)");
        }
        throw unsupported("CREATE " + in.peekText());
    }

    // ---- CREATE TABLE ----

    private Ddl createTable() throws DdlSyntaxError {
        boolean ifNotExists = in.ifNotExists();
        QualifiedName table = in.qualifiedName("a table name");
        if (in.peekIs("PARTITION") || in.peekIs("OF")) {
            throw new DdlSyntaxError("partitions (CREATE TABLE … " + in.peekText().toUpperCase(Locale.ROOT)
                    + ") are not supported: describe the partitioned table only");
        }
        in.expect(Kind.LEFT_PAREN, "'(' and the table's columns");
        List<ColumnDef> columns = new ArrayList<>();
        List<TableConstraint> constraints = new ArrayList<>();
        if (!in.peekIs(Kind.RIGHT_PAREN)) {
            do {
                if (in.peek() != null && in.peek().is(Kind.WORD) && TABLE_CONSTRAINTS.contains(TokenCursor.upper(in.peek()))) {
                    constraints.add(tableConstraint(false));
                } else {
                    columns.add(column(constraints));
                }
            } while (in.accept(Kind.COMMA));
        }
        in.expect(Kind.RIGHT_PAREN, "',' or ')' after a column or constraint");
        if (!in.atEnd()) {
            throw new DdlSyntaxError("table options after the column list are not supported (found "
                    + TokenCursor.describe(in.peek()) + "): remove them (INHERITS, PARTITION BY, WITH, TABLESPACE … are not modelled)");
        }
        return new Ddl.CreateTable(table, ifNotExists, columns, constraints);
    }

    /** A column definition; its key, check and reference clauses go to {@code constraints}. */
    private ColumnDef column(List<TableConstraint> constraints) throws DdlSyntaxError {
        Name name = in.name("a column name or a table constraint");
        SqlType type = DdlTypeParser.type(in);
        Optional<Boolean> notNull = Optional.empty();
        Optional<Expr> defaultValue = Optional.empty();
        Optional<Generated> generated = Optional.empty();
        while (true) {
            Optional<Name> constraintName = in.accept("CONSTRAINT") ? Optional.of(in.name("a constraint name")) : Optional.empty();
            List<Name> self = List.of(name);
            if (in.peekIs("NOT") && in.peekIs(1, "NULL")) {
                in.advance(2);
                notNull = nullability(notNull, true, name);
            } else if (in.accept("NULL")) {
                notNull = nullability(notNull, false, name);
            } else if (in.accept("DEFAULT")) {
                if (defaultValue.isPresent()) {
                    throw new DdlSyntaxError("column " + name.written() + " has two DEFAULT clauses: keep one");
                }
                defaultValue = Optional.of(in.defaultExpression(COLUMN_CLAUSES));
            } else if (in.peekIs("PRIMARY")) {
                in.advance(1);
                in.expectWord("KEY");
                constraints.add(new Key(constraintName, true, self));
                keyOptions();
            } else if (in.accept("UNIQUE")) {
                constraints.add(new Key(constraintName, false, self));
                keyOptions();
            } else if (in.accept("CHECK")) {
                constraints.add(new Check(constraintName, in.parenthesized("the CHECK expression"), false));
                checkOptions();
            } else if (in.accept("REFERENCES")) {
                QualifiedName table = in.qualifiedName("the referenced table");
                List<Name> referenced = in.peekIs(Kind.LEFT_PAREN) ? in.nameList("the referenced column") : List.of();
                ReferentialAction[] actions = referentialActions();
                constraints.add(new ForeignKey(constraintName, self, table, referenced, actions[0], actions[1], false));
            } else if (in.accept("GENERATED")) {
                if (generated.isPresent()) {
                    throw new DdlSyntaxError("column " + name.written() + " has two GENERATED clauses: keep one");
                }
                generated = Optional.of(generated());
            } else if (constraintName.isPresent()) {
                throw in.expected("NOT NULL, NULL, DEFAULT, PRIMARY KEY, UNIQUE, CHECK, REFERENCES or GENERATED after CONSTRAINT "
                        + constraintName.get().written());
            } else {
                break;
            }
            constraintAttributes();
        }
        if (in.accept("COLLATE")) {
            throw new DdlSyntaxError("COLLATE on column " + name.written() + " is not supported: collations are not modelled; remove it");
        }
        return new ColumnDef(name, type, notNull, defaultValue, generated);
    }

    private Optional<Boolean> nullability(Optional<Boolean> before, boolean notNull, Name column) throws DdlSyntaxError {
        if (before.isPresent() && before.get() != notNull) {
            throw new DdlSyntaxError("column " + column.written() + " is declared both NULL and NOT NULL: keep one");
        }
        return Optional.of(notNull);
    }

    private Generated generated() throws DdlSyntaxError {
        if (in.accept("ALWAYS")) {
            in.expectWord("AS");
            if (in.accept("IDENTITY")) {
                identityOptions();
                return new Generated.Identity(true);
            }
            Expr expression = in.parenthesized("the generation expression");
            if (!in.accept("STORED")) {
                throw in.expected("STORED (PostgreSQL 12–17 have only stored generated columns)");
            }
            return new Generated.Stored(expression);
        }
        if (in.accept("BY")) {
            in.expectWord("DEFAULT");
            in.expectWord("AS");
            in.expectWord("IDENTITY");
            identityOptions();
            return new Generated.Identity(false);
        }
        throw in.expected("ALWAYS or BY DEFAULT after GENERATED");
    }

    private void identityOptions() throws DdlSyntaxError {
        if (in.peekIs(Kind.LEFT_PAREN)) {
            throw new DdlSyntaxError("sequence options of an identity column are not supported: remove the parenthesised options"
                    + " (the identity's sequence is not modelled)");
        }
    }

    // ---- constraints ----

    /** A table constraint; {@code inAlterTable} allows NOT VALID. */
    private TableConstraint tableConstraint(boolean inAlterTable) throws DdlSyntaxError {
        Optional<Name> name = in.accept("CONSTRAINT") ? Optional.of(in.name("a constraint name")) : Optional.empty();
        TableConstraint constraint;
        if (in.accept("PRIMARY")) {
            in.expectWord("KEY");
            constraint = new Key(name, true, keyColumns());
        } else if (in.accept("UNIQUE")) {
            constraint = new Key(name, false, keyColumns());
        } else if (in.accept("CHECK")) {
            Expr expression = in.parenthesized("the CHECK expression");
            checkOptions();
            constraint = new Check(name, expression, notValid(inAlterTable, "a CHECK"));
            constraintAttributes();
            return constraint;
        } else if (in.accept("FOREIGN")) {
            in.expectWord("KEY");
            List<Name> columns = in.nameList("a referencing column");
            in.expectWord("REFERENCES");
            QualifiedName table = in.qualifiedName("the referenced table");
            List<Name> referenced = in.peekIs(Kind.LEFT_PAREN) ? in.nameList("a referenced column") : List.of();
            ReferentialAction[] actions = referentialActions();
            constraintAttributes();
            return new ForeignKey(name, columns, table, referenced, actions[0], actions[1], notValid(inAlterTable, "a FOREIGN KEY"));
        } else if (in.peekIs("EXCLUDE")) {
            throw new DdlSyntaxError("EXCLUDE constraints are not supported: they are not modelled; remove it");
        } else if (in.peekIs("LIKE")) {
            throw new DdlSyntaxError("CREATE TABLE … (LIKE …) is not supported: list the columns");
        } else {
            throw in.expected("PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY");
        }
        keyOptions();
        constraintAttributes();
        if (in.peekIs("NOT") && in.peekIs(1, "VALID")) {
            throw new DdlSyntaxError("a PRIMARY KEY or UNIQUE constraint cannot be NOT VALID (only CHECK and FOREIGN KEY can): remove NOT VALID");
        }
        return constraint;
    }

    private boolean notValid(boolean inAlterTable, String what) throws DdlSyntaxError {
        if (in.peekIs("NOT") && in.peekIs(1, "VALID")) {
            if (!inAlterTable) {
                throw new DdlSyntaxError("NOT VALID is only supported in ALTER TABLE … ADD CONSTRAINT (a new table's " + what
                        + " is always validated): remove it");
            }
            in.advance(2);
            return true;
        }
        return false;
    }

    private List<Name> keyColumns() throws DdlSyntaxError {
        return in.nameList("a key column");
    }

    /** What may follow PRIMARY KEY or UNIQUE: nothing zerodown models. */
    private void keyOptions() throws DdlSyntaxError {
        for (String option : List.of("INCLUDE", "WITH", "USING", "NULLS")) {
            if (in.peekIs(option)) {
                throw new DdlSyntaxError(option + " … on a PRIMARY KEY or UNIQUE constraint is not supported: it is not modelled;"
                        + " remove it" + (option.equals("USING") ? " (ADD CONSTRAINT … USING INDEX is not supported either)" : ""));
            }
        }
    }

    private void checkOptions() throws DdlSyntaxError {
        if (in.peekIs("NO") && in.peekIs(1, "INHERIT")) {
            throw new DdlSyntaxError("CHECK … NO INHERIT is not supported: inheritance is not modelled; remove NO INHERIT");
        }
    }

    /** DEFERRABLE and INITIALLY …, which zerodown does not model. */
    private void constraintAttributes() throws DdlSyntaxError {
        if (in.peekIs("DEFERRABLE") || in.peekIs("INITIALLY") || (in.peekIs("NOT") && in.peekIs(1, "DEFERRABLE"))) {
            throw new DdlSyntaxError("deferrable constraints (DEFERRABLE, INITIALLY …) are not supported: they are not modelled; remove the clause");
        }
    }

    /** {@code [MATCH SIMPLE] [ON DELETE action] [ON UPDATE action]}: {on delete, on update}. */
    private ReferentialAction[] referentialActions() throws DdlSyntaxError {
        ReferentialAction onDelete = null;
        ReferentialAction onUpdate = null;
        while (true) {
            if (in.accept("MATCH")) {
                if (!in.accept("SIMPLE")) {
                    throw new DdlSyntaxError("MATCH " + in.peekText().toUpperCase(Locale.ROOT)
                            + " is not supported: only the default MATCH SIMPLE is modelled");
                }
            } else if (in.accept("ON")) {
                boolean delete;
                if (in.accept("DELETE")) {
                    delete = true;
                } else if (in.accept("UPDATE")) {
                    delete = false;
                } else {
                    throw in.expected("DELETE or UPDATE after ON");
                }
                if ((delete ? onDelete : onUpdate) != null) {
                    throw new DdlSyntaxError("ON " + (delete ? "DELETE" : "UPDATE") + " is given twice: keep one");
                }
                ReferentialAction action = referentialAction();
                if (delete) {
                    onDelete = action;
                } else {
                    onUpdate = action;
                }
            } else {
                break;
            }
        }
        return new ReferentialAction[] {
            onDelete == null ? ReferentialAction.NO_ACTION : onDelete,
            onUpdate == null ? ReferentialAction.NO_ACTION : onUpdate
        };
    }

    private ReferentialAction referentialAction() throws DdlSyntaxError {
        if (in.accept("CASCADE")) {
            return ReferentialAction.CASCADE;
        }
        if (in.accept("RESTRICT")) {
            return ReferentialAction.RESTRICT;
        }
        if (in.accept("NO")) {
            in.expectWord("ACTION");
            return ReferentialAction.NO_ACTION;
        }
        if (in.accept("SET")) {
            ReferentialAction action;
            if (in.accept("NULL")) {
                action = ReferentialAction.SET_NULL;
            } else if (in.accept("DEFAULT")) {
                action = ReferentialAction.SET_DEFAULT;
            } else {
                throw in.expected("NULL or DEFAULT after SET");
            }
            if (in.peekIs(Kind.LEFT_PAREN)) {
                throw new DdlSyntaxError("SET NULL / SET DEFAULT with a column list is not supported: it is not modelled; remove the list");
            }
            return action;
        }
        throw in.expected("CASCADE, RESTRICT, NO ACTION, SET NULL or SET DEFAULT");
    }

    // ---- CREATE INDEX ----

    private Ddl createIndex(boolean unique) throws DdlSyntaxError {
        in.accept("CONCURRENTLY");
        boolean ifNotExists = in.ifNotExists();
        Optional<Name> name = Optional.empty();
        if (!in.peekIs("ON")) {
            name = Optional.of(in.name("an index name or ON"));
        } else if (ifNotExists) {
            throw in.expected("an index name after IF NOT EXISTS");
        }
        in.expectWord("ON");
        if (in.accept("ONLY")) {
            throw new DdlSyntaxError("CREATE INDEX … ON ONLY is not supported: partitioned tables are not modelled; remove ONLY");
        }
        QualifiedName table = in.qualifiedName("a table name");
        Optional<Name> method = in.accept("USING") ? Optional.of(in.name("an index method (btree, gin, …)")) : Optional.empty();
        in.expect(Kind.LEFT_PAREN, "'(' and the indexed columns");
        List<IndexElement> elements = new ArrayList<>();
        do {
            elements.add(indexElement());
        } while (in.accept(Kind.COMMA));
        in.expect(Kind.RIGHT_PAREN, "',' or ')' after an indexed column or expression");
        for (String option : List.of("INCLUDE", "NULLS", "WITH", "TABLESPACE")) {
            if (in.peekIs(option)) {
                throw new DdlSyntaxError(option + " … on an index is not supported: it is not modelled; remove it");
            }
        }
        Optional<Expr> predicate = Optional.empty();
        if (in.accept("WHERE")) {
            predicate = Optional.of(in.rest("the index predicate after WHERE"));
        }
        return new Ddl.CreateIndex(unique, ifNotExists, name, table, method, elements, predicate);
    }

    private IndexElement indexElement() throws DdlSyntaxError {
        Optional<Name> column = Optional.empty();
        Optional<Expr> expression = Optional.empty();
        if (in.peekIs(Kind.LEFT_PAREN)) {
            expression = Optional.of(in.parenthesized("an index expression"));
        } else if (in.isFunctionCall()) {
            expression = Optional.of(in.functionCall());
        } else {
            column = Optional.of(in.name("a column, a function call or a parenthesised expression"));
        }
        if (in.peekIs("COLLATE")) {
            throw new DdlSyntaxError("COLLATE in an index is not supported: collations are not modelled; remove it");
        }
        if (in.peek() != null && in.peek().isIdentifier() && !in.peekIs("ASC") && !in.peekIs("DESC") && !in.peekIs("NULLS")) {
            throw new DdlSyntaxError("operator class " + TokenCursor.describe(in.peek()) + " in an index is not supported: it is not modelled; remove it");
        }
        boolean descending = false;
        if (in.accept("DESC")) {
            descending = true;
        } else {
            in.accept("ASC");
        }
        if (in.accept("NULLS")) {
            boolean first;
            if (in.accept("FIRST")) {
                first = true;
            } else if (in.accept("LAST")) {
                first = false;
            } else {
                throw in.expected("FIRST or LAST after NULLS");
            }
            if (first != descending) {
                throw new DdlSyntaxError("NULLS " + (first ? "FIRST" : "LAST") + " with " + (descending ? "DESC" : "ASC")
                        + " is not supported: only the default order of NULLs is modelled (NULLS LAST for ASC, NULLS FIRST for DESC)");
            }
        }
        return new IndexElement(column, expression, descending);
    }


    // ---- ALTER TABLE ----

    private Ddl alterTable() throws DdlSyntaxError {
        if (in.peekIs("IF") && in.peekIs(1, "EXISTS")) {
            throw new DdlSyntaxError("ALTER TABLE IF EXISTS is not supported: the table must be described; remove IF EXISTS");
        }
        in.accept("ONLY");
        QualifiedName table = in.qualifiedName("a table name");
        List<TableConstraint> additions = new ArrayList<>();
        do {
            if (!in.accept("ADD")) {
                throw new DdlSyntaxError("ALTER TABLE … " + in.peekText().toUpperCase(Locale.ROOT) + " is not supported: " + SUPPORTED);
            }
            if (in.peek() == null || !in.peek().is(Kind.WORD) || !Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE").contains(TokenCursor.upper(in.peek()))) {
                throw new DdlSyntaxError("ALTER TABLE … ADD " + (in.peekIs("COLUMN") ? "COLUMN" : in.peekText())
                        + " is not supported: only constraints can be added; describe columns in the table's CREATE TABLE");
            }
            additions.add(tableConstraint(true));
        } while (in.accept(Kind.COMMA));
        return new Ddl.AlterTable(table, additions);
    }

    private DdlSyntaxError unsupported(String start) {
        return new DdlSyntaxError("this kind of statement (" + word(start).strip() + " …) is not supported: " + SUPPORTED
                + "; remove it, or describe its effect on tables with those statements");
    }

    private static String word(String text) {
        return text.toUpperCase(Locale.ROOT);
    }
}
