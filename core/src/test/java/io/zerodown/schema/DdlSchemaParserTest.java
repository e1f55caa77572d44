package io.zerodown.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Constraint.ReferentialAction;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DdlSchemaParserTest {

    private static final DdlSchemaParser PARSER = new DdlSchemaParser(new TestConventions());

    @Test
    void theReferenceUsersTable() {
        Schema schema = PARSER.parse("CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email VARCHAR(255) UNIQUE NOT NULL, "
                + "full_name VARCHAR(255), created_at TIMESTAMPTZ DEFAULT NOW());");

        assertThat(schema).isEqualTo(Schema.of(new Table(TableName.of("users"),
                List.of(
                        new Column(ColumnName.of("id"), SqlType.of("bigint"), false,
                                Optional.of(SqlExpression.of("nextval('users_id_seq')")),
                                Optional.of(new Generation.Serial("users_id_seq"))),
                        column("email", SqlType.of("varchar", 255), false),
                        column("full_name", SqlType.of("varchar", 255), true),
                        column("created_at", SqlType.of("timestamptz"), true).withDefault(expression("NOW()"))),
                List.of(primaryKey("users_pk", "id"), unique("users_email_uq", "email")),
                List.of(), List.of())));
    }

    @Nested
    class Statements {

        @Test
        void semicolonsInsideStringsCommentsAndQuotedNamesDoNotEndAStatement() {
            Schema schema = PARSER.parse("""
                    -- a comment; with a semicolon
                    CREATE TABLE a (s text DEFAULT 'x;y', d text DEFAULT $$ ; $$, "semi;colon" int);;
                    /* block ; /* nested ; */ still ; comment */
                    ;
                    CREATE TABLE b (e text DEFAULT E'it\\'s;', f text DEFAULT $tag$ a;$$;b $tag$)
                    """);

            assertThat(schema.requireTable(TableName.of("a")).columns()).containsExactly(
                    column("s", SqlType.of("text"), true).withDefault(expression("'x;y'")),
                    column("d", SqlType.of("text"), true).withDefault(expression("' ; '")),
                    column("semi;colon", SqlType.of("int"), true));
            assertThat(schema.requireTable(TableName.of("b")).columns()).containsExactly(
                    column("e", SqlType.of("text"), true).withDefault(expression("'it''s;'")),
                    column("f", SqlType.of("text"), true).withDefault(expression("' a;$$;b '")));
        }

        @Test
        void aScriptOfCommentsAndEmptyStatementsIsAnEmptySchema() {
            assertThat(PARSER.parse("-- nothing\n;;\n/* at all */ ;")).isEqualTo(Schema.empty());
            assertThat(PARSER.parse("")).isEqualTo(Schema.empty());
        }

        @Test
        void statementsAreNumberedWithoutEmptyOnesAndLocatedByTheLineOfTheirFirstToken() {
            List<Problem> problems = problems("""
                    CREATE TABLE a (id int);
                    ;
                    CREATE TABLE f (body text DEFAULT $body$ x;
                      y; $body$);

                      -- the next statement starts on line 7
                      SET lock_timeout = '1s';
                    """);

            assertThat(problems).extracting(Problem::location).containsExactly("DDL statement 3 (line 7)");
            assertThat(problems.get(0).message()).startsWith("\"SET lock_timeout = '1s'\": this kind of statement (SET …) is not supported");
        }

        @Test
        void aLongStatementIsQuotedByItsStartWithWhitespaceCollapsed() {
            List<Problem> problems = problems("CREATE VIEW recent_orders AS\n    SELECT id, user_id, total FROM orders WHERE created_at > now() - interval '1 day'");

            assertThat(problems.get(0).message())
                    .startsWith("\"CREATE VIEW recent_orders AS SELECT id, user_id, total FROM …\": ");
        }

        @Test
        void anUnterminatedStringIsReportedOnceAtItsStatement() {
            List<Problem> problems = problems("""
                    CREATE TABLE a (id int);
                    CREATE TABLE b (s text DEFAULT 'oops);
                    CREATE TABLE c (id int);
                    """);

            assertThat(problems).containsExactly(new Problem("DDL statement 2 (line 2)",
                    "\"CREATE TABLE b (s text DEFAULT 'oops); CREATE TABLE c (id in …\": the string starting at line 2"
                            + " is never closed with ' (nothing after it can be read)"));
        }

        @Test
        void anUnterminatedCommentIsReported() {
            assertThat(problems("CREATE TABLE a (id int);\n/* open\nCREATE TABLE b (id int);"))
                    .extracting(Problem::location, Problem::message)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("DDL statement 2 (line 2)",
                            "\"/* open CREATE TABLE b (id int);\": the comment starting at line 2 is never closed with */"
                                    + " (nothing after it can be read)"));
        }
    }

    @Nested
    class CreateTable {

        @Test
        void typesKeepLengthPrecisionTimeZoneAndArrayDimensionsAsWritten() {
            Table t = table("""
                    CREATE TABLE t (a varchar(255), b NUMERIC(10, 2), c text[], d int[][], e timestamp(3) with time zone,
                      f double precision, g character varying(20), h time without time zone, i numeric(10,-2), j char,
                      k interval(3), l int ARRAY, m bit varying(5), n pg_catalog.int4, o int[3])
                    """, "t");

            assertThat(t.columns()).extracting(Column::type).containsExactly(
                    SqlType.of("varchar", 255), SqlType.of("numeric", 10, 2), new SqlType("text", List.of(), 1),
                    new SqlType("int", List.of(), 2), SqlType.of("timestamp with time zone", 3), SqlType.of("double precision"),
                    SqlType.of("character varying", 20), SqlType.of("time without time zone"), SqlType.of("numeric", 10, -2),
                    SqlType.of("char"), SqlType.of("interval", 3), new SqlType("int", List.of(), 1), SqlType.of("bit varying", 5),
                    SqlType.of("pg_catalog.int4"), new SqlType("int", List.of(), 1));
        }

        @Test
        void nullabilityDefaultsAndGeneration() {
            Table t = table("""
                    CREATE TABLE IF NOT EXISTS t (
                      a int NOT NULL,
                      b int NULL DEFAULT 1,
                      c timestamptz DEFAULT now() + interval '1 day' NOT NULL,
                      d int DEFAULT CASE WHEN true THEN 1 ELSE NULL END NOT NULL,
                      e int DEFAULT (1 + 2),
                      f text DEFAULT NULL,
                      g int GENERATED ALWAYS AS IDENTITY,
                      h bigint GENERATED BY DEFAULT AS IDENTITY,
                      i int GENERATED ALWAYS AS (a * 2) STORED,
                      j serial
                    )""", "t");

            assertThat(t.columns()).containsExactly(
                    column("a", SqlType.of("int"), false),
                    column("b", SqlType.of("int"), true).withDefault(expression("1")),
                    column("c", SqlType.of("timestamptz"), false).withDefault(expression("now() + interval '1 day'")),
                    column("d", SqlType.of("int"), false).withDefault(expression("CASE WHEN true THEN 1 ELSE NULL END")),
                    column("e", SqlType.of("int"), true).withDefault(expression("(1 + 2)")),
                    column("f", SqlType.of("text"), true),
                    column("g", SqlType.of("int"), false).withGeneration(Optional.of(new Generation.Identity(true))),
                    column("h", SqlType.of("bigint"), false).withGeneration(Optional.of(new Generation.Identity(false))),
                    column("i", SqlType.of("int"), true).withGeneration(Optional.of(new Generation.Stored(SqlExpression.of("a * 2")))),
                    column("j", SqlType.of("integer"), false).withDefault(expression("nextval('t_j_seq')"))
                            .withGeneration(Optional.of(new Generation.Serial("t_j_seq"))));
        }

        @Test
        void anIdentityColumnTakesASequenceNameLikeASerialOne() {
            Table t = table("CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY); CREATE INDEX ON t (id); "
                    + "CREATE TABLE t_id_seq_user (x int); ALTER TABLE t ADD UNIQUE (id)", "t");
            assertThat(t.indexes()).extracting(Index::name).containsExactly(IndexName.of("t_id_ix"));

            Schema schema = PARSER.parse("CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, j serial); CREATE TABLE u (id serial)");
            assertThat(schema.requireTable(TableName.of("t")).column(ColumnName.of("j")).orElseThrow().generation())
                    .contains(new Generation.Serial("t_j_seq"));
            // t_id_seq is taken by the identity column's sequence: a table created with that name would clash.
            assertThat(problems("CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY); CREATE TABLE t_id_seq (x int)"))
                    .extracting(Problem::location).containsExactly("DDL statement 2 (line 1)");
        }

        @Test
        void columnConstraintsBecomeTableConstraintsWithTheirNamesAndActions() {
            Schema schema = PARSER.parse("""
                    CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE);
                    CREATE TABLE c (
                      id int CONSTRAINT c_key PRIMARY KEY,
                      pid int REFERENCES p ON DELETE CASCADE ON UPDATE SET NULL,
                      code text CONSTRAINT code_fk REFERENCES p (code) ON UPDATE RESTRICT ON DELETE SET DEFAULT,
                      qty int CHECK (qty > 0) CONSTRAINT qty_small CHECK (qty < 100),
                      other int REFERENCES p MATCH SIMPLE ON DELETE NO ACTION
                    )""");

            Table c = schema.requireTable(TableName.of("c"));
            assertThat(c.columns()).extracting(Column::nullable).containsExactly(false, true, true, true, true);
            assertThat(c.constraints()).containsExactlyInAnyOrder(
                    primaryKey("c_key", "id"),
                    foreignKey("c_pid_fk", List.of("pid"), "p", List.of("id"), ReferentialAction.CASCADE, ReferentialAction.SET_NULL, true),
                    foreignKey("code_fk", List.of("code"), "p", List.of("code"), ReferentialAction.SET_DEFAULT, ReferentialAction.RESTRICT, true),
                    check("c_qty_ck", "qty > 0", true),
                    check("qty_small", "qty < 100", true),
                    foreignKey("c_other_fk", List.of("other"), "p", List.of("id"), ReferentialAction.NO_ACTION, ReferentialAction.NO_ACTION, true));
        }

        @Test
        void tableConstraintsNamedAndUnnamed() {
            Schema schema = PARSER.parse("""
                    CREATE TABLE p (a int, b int, CONSTRAINT p_key PRIMARY KEY (a, b));
                    CREATE TABLE c (x int, y int, z int,
                      PRIMARY KEY (z),
                      UNIQUE (x, y),
                      CONSTRAINT xy_fk FOREIGN KEY (x, y) REFERENCES p (a, b) ON DELETE RESTRICT,
                      FOREIGN KEY (y, x) REFERENCES p,
                      CHECK (x < y),
                      CHECK (1 > 0),
                      CONSTRAINT positive CHECK (x > 0 AND x < 10))""");

            assertThat(schema.requireTable(TableName.of("p")).constraints()).containsExactly(primaryKey("p_key", "a", "b"));
            assertThat(schema.requireTable(TableName.of("c")).constraints()).containsExactlyInAnyOrder(
                    primaryKey("c_pk", "z"),
                    unique("c_x_y_uq", "x", "y"),
                    foreignKey("xy_fk", List.of("x", "y"), "p", List.of("a", "b"), ReferentialAction.RESTRICT, ReferentialAction.NO_ACTION, true),
                    foreignKey("c_y_x_fk", List.of("y", "x"), "p", List.of("a", "b"), ReferentialAction.NO_ACTION, ReferentialAction.NO_ACTION, true),
                    check("c_x_y_ck", "x < y", true),
                    check("c_ck", "1 > 0", true),
                    check("positive", "x > 0 AND x < 10", true));
        }

        @Test
        void aPrimaryKeyMakesItsColumnsNotNull() {
            Table t = table("CREATE TABLE t (a int NULL, b int, c int, PRIMARY KEY (a, b))", "t");
            assertThat(t.columns()).extracting(Column::nullable).containsExactly(false, false, true);
        }

        @Test
        void duplicateKeysAreMergedWhenTheConventionsSaySo() {
            String ddl = """
                    CREATE TABLE t (id int PRIMARY KEY UNIQUE, a int UNIQUE, b int, UNIQUE (a), CONSTRAINT named UNIQUE (a, b),
                      UNIQUE (a, b), UNIQUE (b, a), c int UNIQUE, CONSTRAINT c_named UNIQUE (c))""";

            assertThat(table(ddl, "t").constraints()).containsExactly(
                    unique("c_named", "c"), unique("named", "a", "b"), unique("t_a_uq", "a"),
                    unique("t_b_a_uq", "b", "a"), primaryKey("t_pk", "id"));
            assertThat(new DdlSchemaParser(new TestConventions(false)).parse(ddl).requireTable(TableName.of("t")).constraints())
                    .extracting(Constraint::name).extracting(ConstraintName::value)
                    .containsExactly("c_named", "named", "t_a_b_uq", "t_a_uq", "t_a_uq2", "t_b_a_uq", "t_c_uq", "t_id_uq", "t_pk");
        }

        @Test
        void generatedNamesAvoidNamesAlreadyTaken() {
            Schema schema = PARSER.parse("""
                    CREATE TABLE t_a_uq (x int);
                    CREATE TABLE t (a int UNIQUE, CHECK (a > 0), CHECK (a < 9), CONSTRAINT t_a_fk CHECK (a <> 5), FOREIGN KEY (a) REFERENCES t (a));
                    CREATE INDEX ON t (a);
                    CREATE INDEX ON t (a);
                    CREATE INDEX ON t ((a + 1));""");

            Table t = schema.requireTable(TableName.of("t"));
            assertThat(t.constraints()).extracting(c -> c.name().value())
                    .containsExactly("t_a_ck", "t_a_ck2", "t_a_fk", "t_a_fk2", "t_a_uq2");
            assertThat(t.indexes()).extracting(i -> i.name().value()).containsExactly("t_a_ix", "t_a_ix2", "t_expr_ix");
        }

        @Test
        void quotedNamesAreKeptAndUnquotedOnesFolded() {
            Schema schema = PARSER.parse("""
                    CREATE TABLE "Users" ("Id" int PRIMARY KEY, Name text, "weird ""q"" col" int);
                    CREATE TABLE USERS (ID int);
                    CREATE INDEX ON "Users" (NAME);""");

            assertThat(schema.tables()).extracting(Table::name).containsExactly(TableName.of("Users"), TableName.of("users"));
            Table users = schema.requireTable(TableName.of("Users"));
            assertThat(users.columns()).extracting(c -> c.name().value()).containsExactly("Id", "name", "weird \"q\" col");
            assertThat(users.constraints()).containsExactly(primaryKey("Users_pk", "Id"));
            assertThat(users.indexes()).extracting(i -> i.name().value()).containsExactly("Users_name_ix");
        }

        @Test
        void aSchemaQualifierIsAcceptedWhenItIsAlwaysTheSame() {
            Schema schema = PARSER.parse("CREATE TABLE public.a (id int PRIMARY KEY); CREATE TABLE b (aid int REFERENCES public.a);"
                    + " ALTER TABLE ONLY public.b ADD UNIQUE (aid)");
            assertThat(schema.tables()).extracting(t -> t.name().value()).containsExactly("a", "b");

            assertThat(problems("CREATE TABLE public.a (id int); CREATE TABLE audit.b (id int)"))
                    .extracting(Problem::location, Problem::message)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("DDL statement 2 (line 1)",
                            "\"CREATE TABLE audit.b (id int)\": table audit.b is in schema \"audit\", but the DDL also uses"
                                    + " schema \"public\": zerodown reads one schema at a time; describe only one"));
        }

        @Test
        void ifNotExistsKeepsTheFirstDefinitionAsTheDatabaseWould() {
            Table t = table("CREATE TABLE t (a int); CREATE TABLE IF NOT EXISTS t (b int)", "t");
            assertThat(t.columns()).extracting(c -> c.name().value()).containsExactly("a");
        }

        @Test
        void aForeignKeyMayReferenceItsOwnTable() {
            Table t = table("CREATE TABLE t (id int PRIMARY KEY, parent int REFERENCES t)", "t");
            assertThat(t.constraints()).contains(foreignKey("t_parent_fk", List.of("parent"), "t", List.of("id"),
                    ReferentialAction.NO_ACTION, ReferentialAction.NO_ACTION, true));
        }

        @Test
        void aForeignKeyMayReferenceAUniqueIndex() {
            Table c = table("CREATE TABLE p (code text); CREATE UNIQUE INDEX ON p (code); CREATE TABLE c (code text REFERENCES p (code))", "c");
            assertThat(c.constraints()).extracting(Constraint::name).containsExactly(ConstraintName.of("c_code_fk"));
        }
    }

    @Nested
    class CreateIndex {

        @Test
        void everySupportedForm() {
            Table t = table("""
                    CREATE TABLE t (a int, b text, c int);
                    CREATE INDEX ON t (a);
                    CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_b_lower ON t USING GIN (lower(b) DESC, (a + c))
                      WHERE c > 0 AND b IS NOT NULL;
                    CREATE INDEX IF NOT EXISTS t_b_lower ON t (c);
                    CREATE INDEX "Named" ON public.t (a ASC, c DESC NULLS FIRST, b NULLS LAST, public.f(b));""", "t");

            assertThat(t.indexes()).containsExactly(
                    new Index(IndexName.of("Named"), TableName.of("t"), List.of(
                            new Index.Element.OfColumn(ColumnName.of("a"), false),
                            new Index.Element.OfColumn(ColumnName.of("c"), true),
                            new Index.Element.OfColumn(ColumnName.of("b"), false),
                            new Index.Element.OfExpression(SqlExpression.of("public.f(b)"), false)),
                            false, Optional.empty(), "btree", true),
                    new Index(IndexName.of("t_a_ix"), TableName.of("t"), List.of(new Index.Element.OfColumn(ColumnName.of("a"), false)),
                            false, Optional.empty(), "btree", true),
                    new Index(IndexName.of("t_b_lower"), TableName.of("t"), List.of(
                            new Index.Element.OfExpression(SqlExpression.of("lower(b)"), true),
                            new Index.Element.OfExpression(SqlExpression.of("a + c"), false)),
                            true, Optional.of(SqlExpression.of("c > 0 AND b IS NOT NULL")), "gin", true));
        }
    }

    @Nested
    class AlterTable {

        @Test
        void addsConstraintsValidOrNot() {
            Schema schema = PARSER.parse("""
                    CREATE TABLE p (id int, code text);
                    CREATE TABLE c (id int, pid int, code text, qty int);
                    ALTER TABLE p ADD PRIMARY KEY (id);
                    ALTER TABLE ONLY p ADD CONSTRAINT p_code UNIQUE (code);
                    ALTER TABLE c ADD CONSTRAINT c_qty CHECK (qty > 0) NOT VALID, ADD FOREIGN KEY (pid) REFERENCES p NOT VALID,
                      ADD CONSTRAINT c_code FOREIGN KEY (code) REFERENCES p (code) ON DELETE CASCADE;
                    ALTER TABLE c ADD CHECK (qty < 10), ADD PRIMARY KEY (id);""");

            Table p = schema.requireTable(TableName.of("p"));
            assertThat(p.columns()).extracting(Column::nullable).containsExactly(false, true);
            assertThat(p.constraints()).containsExactly(unique("p_code", "code"), primaryKey("p_pk", "id"));
            Table c = schema.requireTable(TableName.of("c"));
            assertThat(c.columns()).extracting(Column::nullable).containsExactly(false, true, true, true);
            assertThat(c.constraints()).containsExactly(
                    foreignKey("c_code", List.of("code"), "p", List.of("code"), ReferentialAction.CASCADE, ReferentialAction.NO_ACTION, true),
                    foreignKey("c_pid_fk", List.of("pid"), "p", List.of("id"), ReferentialAction.NO_ACTION, ReferentialAction.NO_ACTION, false),
                    primaryKey("c_pk", "id"),
                    check("c_qty", "qty > 0", false),
                    check("c_qty_ck", "qty < 10", true));
        }

        @Test
        void keysOfOneAlterTableAreNamedBeforeItsChecks() {
            Table t = table("CREATE TABLE t (a int, b int); ALTER TABLE t ADD CHECK (a > 0), ADD CONSTRAINT t_a_ck UNIQUE (b)", "t");
            assertThat(t.constraints()).extracting(c -> c.name().value()).containsExactly("t_a_ck", "t_a_ck2");
            assertThat(t.constraints().get(0)).isInstanceOf(Constraint.Unique.class);
        }
    }

    @Nested
    class Errors {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                SET lock_timeout = '1s'                                  | this kind of statement (SET …) is not supported: zerodown reads only CREATE TABLE, CREATE INDEX and ALTER TABLE
                CREATE VIEW v AS SELECT 1                                | this kind of statement (CREATE VIEW …) is not supported
                DROP TABLE t                                             | this kind of statement (DROP …) is not supported
                INSERT INTO t VALUES (1)                                 | this kind of statement (INSERT …) is not supported
                CREATE SEQUENCE s                                        | this kind of statement (CREATE SEQUENCE …) is not supported
                ALTER SEQUENCE s OWNED BY t.id                           | this kind of statement (ALTER SEQUENCE …) is not supported
                CREATE TEMP TABLE x (id int)                             | TEMP tables are not supported
                CREATE TABLE x (id int) PARTITION BY RANGE (id)          | table options after the column list are not supported (found 'PARTITION' (line 2))
                CREATE TABLE x (id int,)                                 | expected a column name or a table constraint but found ')' (line 2)
                CREATE TABLE x (id int                                   | expected ',' or ')' after a column or constraint but found the end of the statement
                CREATE TABLE x (id int PRIMARY)                          | expected KEY but found ')' (line 2)
                CREATE TABLE x (id "MyType")                             | quoted type name "MyType" (line 2) is not supported
                CREATE TABLE x (id interval day to second)               | interval fields (INTERVAL DAY …) are not supported
                CREATE TABLE x (id int, LIKE other)                      | CREATE TABLE … (LIKE …) is not supported
                CREATE TABLE x (id int, EXCLUDE USING gist (id WITH =))  | EXCLUDE constraints are not supported
                CREATE TABLE x (s text COLLATE "C")                      | COLLATE on column s is not supported
                CREATE TABLE x (id int UNIQUE DEFERRABLE)                | deferrable constraints (DEFERRABLE, INITIALLY …) are not supported
                CREATE TABLE x (id int, UNIQUE (id) INCLUDE (id))        | INCLUDE … on a PRIMARY KEY or UNIQUE constraint is not supported
                CREATE TABLE x (id int, CHECK (id > 0) NOT VALID)        | NOT VALID is only supported in ALTER TABLE
                CREATE TABLE x (id int CHECK (id > 0) NO INHERIT)        | CHECK … NO INHERIT is not supported
                CREATE TABLE x (id int REFERENCES y MATCH FULL)          | MATCH FULL is not supported
                CREATE TABLE x (id int REFERENCES y ON DELETE SET NULL (id)) | SET NULL / SET DEFAULT with a column list is not supported
                CREATE TABLE x (i int GENERATED ALWAYS AS IDENTITY (CYCLE))     | sequence options of an identity column are not supported
                CREATE TABLE x (id int GENERATED ALWAYS AS (1) VIRTUAL)  | expected STORED
                CREATE TABLE x (id int NOT NULL NULL)                    | column id is declared both NULL and NOT NULL: keep one
                CREATE TABLE x (id int DEFAULT 1 DEFAULT 2)              | column id has two DEFAULT clauses: keep one
                CREATE TABLE x (id int CHECK ())                         | the CHECK expression is empty (line 2)
                CREATE INDEX i ON t (a text_pattern_ops)                 | operator class 'text_pattern_ops' (line 2) in an index is not supported
                CREATE INDEX i ON t (a COLLATE "C")                      | COLLATE in an index is not supported
                CREATE INDEX i ON t (a NULLS FIRST)                      | NULLS FIRST with ASC is not supported
                CREATE INDEX i ON t (a) INCLUDE (b)                      | INCLUDE … on an index is not supported
                CREATE INDEX i ON ONLY t (a)                             | CREATE INDEX … ON ONLY is not supported
                CREATE INDEX IF NOT EXISTS ON t (a)                      | expected an index name after IF NOT EXISTS but found 'ON' (line 2)
                CREATE INDEX i ON t (a) WHERE                            | expected the index predicate after WHERE but found the end of the statement
                ALTER TABLE t DROP COLUMN a                              | ALTER TABLE … DROP is not supported
                ALTER TABLE t ADD COLUMN a int                           | ALTER TABLE … ADD COLUMN is not supported: only constraints can be added
                ALTER TABLE t ADD a int                                  | ALTER TABLE … ADD a is not supported: only constraints can be added
                ALTER TABLE IF EXISTS t ADD UNIQUE (a)                   | ALTER TABLE IF EXISTS is not supported
                ALTER TABLE t ADD UNIQUE (a) NOT VALID                   | a PRIMARY KEY or UNIQUE constraint cannot be NOT VALID
                \\connect other                                           | this kind of statement (\\ …) is not supported
                """)
        void aStatementThatCannotBeReadOrIsNotSupported(String statement, String message) {
            List<Problem> problems = problems("-- the statement is on line 2\n" + statement + ";");

            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).location()).isEqualTo("DDL statement 1 (line 2)");
            assertThat(problems.get(0).message()).startsWith("\"" + statement.replace("\\\\", "\\") + "\": ").contains(message);
        }

        @Test
        void aFunctionBodyIsOneStatementEvenWithSemicolonsInside() {
            List<Problem> problems = problems("""
                    CREATE TABLE t (id int);
                    CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      NEW.id := 1; RETURN NEW;
                    END $$;
                    CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
                    """);

            assertThat(problems).extracting(Problem::location).containsExactly("DDL statement 2 (line 2)", "DDL statement 3 (line 6)");
            assertThat(problems).extracting(Problem::message).allMatch(m -> m.contains("is not supported"));
        }

        @Test
        void referencesToTablesAndColumnsThatDoNotExist() {
            List<Problem> problems = problems("""
                    CREATE TABLE t (id int PRIMARY KEY, a int, PRIMARY KEY (nope));
                    CREATE INDEX ON missing (a);
                    CREATE INDEX ON t (a, b);
                    CREATE INDEX ON t ((a + zz)) WHERE yy > 0;
                    ALTER TABLE missing ADD UNIQUE (a);
                    ALTER TABLE t ADD CHECK (c > 0), ADD UNIQUE (a, a);
                    CREATE TABLE u (tid int REFERENCES ghost, x int REFERENCES t (nope), y int GENERATED ALWAYS AS (ww + 1) STORED);
                    """);

            assertThat(problems).extracting(Problem::location, p -> p.message().substring(p.message().indexOf("\": ") + 3)).containsExactly(
                    tuple(1, "table \"t\" gets a second PRIMARY KEY: a table has at most one"),
                    tuple(2, "table \"missing\" of the index does not exist: create it earlier in the DDL"),
                    tuple(3, "the index names column \"b\", which table \"t\" does not have"),
                    tuple(4, "the index expression reads column \"zz\", which table \"t\" does not have"),
                    tuple(4, "the index predicate reads column \"yy\", which table \"t\" does not have"),
                    tuple(5, "table \"missing\" of ALTER TABLE does not exist: create it earlier in the DDL"),
                    tuple(6, "the UNIQUE constraint names column \"a\" twice: name it once"),
                    tuple(6, "the CHECK expression reads column \"c\", which table \"t\" does not have"),
                    tuple(7, "the generation expression of column \"y\" reads column \"ww\", which table \"u\" does not have"),
                    tuple(7, "the FOREIGN KEY references table \"ghost\", which does not exist: create it earlier in the DDL"),
                    tuple(7, "the FOREIGN KEY references column \"nope\", which table \"t\" does not have"));
        }

        @Test
        void duplicates() {
            List<Problem> problems = problems("""
                    CREATE TABLE t (id int, id text, CONSTRAINT c1 CHECK (true), CONSTRAINT c1 UNIQUE (id));
                    CREATE TABLE t (x int);
                    CREATE INDEX t ON t (id);
                    CREATE TABLE t_id_ix (x int);
                    CREATE INDEX ON t (id);
                    ALTER TABLE t ADD CONSTRAINT t_id_ix2 UNIQUE (id);
                    """);

            assertThat(problems).extracting(Problem::location, p -> p.message().substring(p.message().indexOf("\": ") + 3)).containsExactly(
                    tuple(1, "column \"id\" is defined twice in table \"t\": keep one"),
                    tuple(1, "table \"t\" already has a constraint named \"c1\": rename one"),
                    tuple(2, "table \"t\" is already created by DDL statement 1: keep one CREATE TABLE per table"),
                    tuple(3, "\"t\" is already the name of a table, index or sequence: choose another index name"),
                    tuple(6, "\"t_id_ix2\" is already the name of a table, index or sequence, and this constraint's index would take it:"
                            + " rename the constraint"));
        }

        @Test
        void keysColumnsAndDefaultsThatCannotWork() {
            List<Problem> problems = problems("""
                    CREATE TABLE p (id int, code text);
                    CREATE TABLE c (a int REFERENCES p, b text REFERENCES p (code), x int, y int, FOREIGN KEY (x, y) REFERENCES p (id));
                    CREATE TABLE s (id serial DEFAULT 1, g int GENERATED ALWAYS AS IDENTITY NULL, d int DEFAULT other + 1,
                      m money, h int DEFAULT 1 GENERATED ALWAYS AS IDENTITY, k bigserial GENERATED ALWAYS AS IDENTITY);
                    """);

            assertThat(problems).extracting(Problem::location, p -> p.message().substring(p.message().indexOf("\": ") + 3)).containsExactly(
                    tuple(2, "the FOREIGN KEY references table \"p\" without naming columns, but that table has no primary key:"
                            + " name the referenced columns"),
                    tuple(2, "the FOREIGN KEY references [code] of table \"p\", which is neither its primary key nor unique:"
                            + " reference a primary key or unique constraint"),
                    tuple(2, "the FOREIGN KEY has 2 column(s) but references 1: name as many referenced columns as referencing ones"),
                    tuple(3, "column \"id\" is serial, which comes with its own default: remove the DEFAULT"),
                    tuple(3, "column \"g\" is declared NULL, but a identity column is always NOT NULL: remove NULL"),
                    tuple(3, "the DEFAULT of column \"d\" reads a column ([other]): a default cannot depend on other columns;"
                            + " use a generated column or a trigger"),
                    tuple(3, "column \"m\": type money is not allowed here: use numeric"),
                    tuple(3, "column \"h\" has both a DEFAULT and a GENERATED clause: keep one"),
                    tuple(3, "column \"k\" is bigserial and GENERATED: keep one"));
        }

        @Test
        void anExpressionThatIsNotOneSqlExpression() {
            List<Problem> problems = problems("CREATE TABLE t (a int CHECK (a >), b int DEFAULT 1 +)");

            assertThat(problems).extracting(Problem::message).satisfiesExactly(
                    m -> assertThat(m).contains("the DEFAULT of column \"b\" (line 1) cannot be read: not a single SQL expression: '1 +'"),
                    m -> assertThat(m).contains("the CHECK expression (line 1) cannot be read: not a single SQL expression: 'a >'"));
        }

        @Test
        void everyProblemOfTheScriptIsReportedAtOnce() {
            MigrationValidationException e = catchThrowableOfType(MigrationValidationException.class, () -> PARSER.parse("""
                    CREATE TABLE a (id int);
                    SET x = 1;
                    CREATE TABLE b (id int REFERENCES nowhere);
                    CREATE VIEW v AS SELECT 1;
                    CREATE TABLE c (id int);"""));

            assertThat(e.problems()).extracting(Problem::location)
                    .containsExactly("DDL statement 2 (line 2)", "DDL statement 3 (line 3)", "DDL statement 4 (line 4)");
            assertThat(e.getMessage()).startsWith("the migration cannot be compiled (3 problems):\n  - DDL statement 2 (line 2): \"SET x = 1\": ");
        }
    }

    // ---- helpers ----

    private static org.assertj.core.groups.Tuple tuple(int statement, String message) {
        return org.assertj.core.groups.Tuple.tuple("DDL statement " + statement + " (line " + statement + ")", message);
    }

    private static Table table(String ddl, String name) {
        return PARSER.parse(ddl).requireTable(TableName.of(name));
    }

    private static List<Problem> problems(String ddl) {
        MigrationValidationException e = catchThrowableOfType(MigrationValidationException.class, () -> PARSER.parse(ddl));
        assertThat(e).as("problems of %s", ddl).isNotNull();
        return e.problems();
    }

    private static Column column(String name, SqlType type, boolean nullable) {
        return new Column(ColumnName.of(name), type, nullable, Optional.empty(), Optional.empty());
    }

    private static Optional<SqlExpression> expression(String text) {
        return Optional.of(SqlExpression.of(text));
    }

    private static Constraint primaryKey(String name, String... columns) {
        return new Constraint.PrimaryKey(ConstraintName.of(name), names(columns));
    }

    private static Constraint unique(String name, String... columns) {
        return new Constraint.Unique(ConstraintName.of(name), names(columns));
    }

    private static Constraint check(String name, String expression, boolean validated) {
        return new Constraint.Check(ConstraintName.of(name), SqlExpression.of(expression), validated);
    }

    private static Constraint foreignKey(String name, List<String> columns, String table, List<String> referenced,
                                         ReferentialAction onDelete, ReferentialAction onUpdate, boolean validated) {
        return new Constraint.ForeignKey(ConstraintName.of(name), names(columns.toArray(String[]::new)), TableName.of(table),
                names(referenced.toArray(String[]::new)), onDelete, onUpdate, validated);
    }

    private static List<ColumnName> names(String... columns) {
        return Arrays.stream(columns).map(ColumnName::of).toList();
    }
}
