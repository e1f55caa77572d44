package io.zerodown.postgres.schema;

import io.zerodown.postgres.testing.ComparableSchema;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.model.SqlExpression;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.schema.DdlSchemaParser;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parsing DDL with {@link PostgresConventions} gives the schema that a real server (oldest and
 * newest) reports after running the same DDL.
 *
 * <p>Compared exactly: tables and their order, column names, order, types, nullability and
 * generation kind (serial with its sequence name, identity always / by default, stored), whether a
 * column has a default, every constraint's kind, name, columns, referenced table and columns,
 * referential actions and validity, every index's name, table, unique flag, method, validity,
 * element kinds (column or expression), columns and directions, whether it has a predicate.
 *
 * <p>Compared through {@link #normalise}, because PostgreSQL prints them its own way: the text of
 * defaults, CHECK expressions, stored generation expressions, index expressions and index
 * predicates. The normaliser lower-cases everything outside string literals, drops casts
 * ({@code ::type}), turns {@code !=} into {@code <>} and drops parentheses and white space; so
 * {@code NOW()} and {@code now()}, {@code qty >= 0} and {@code (qty >= (0)::numeric)},
 * {@code 'x'} and {@code 'x'::text} compare equal. It does not reconcile rewrites such as
 * {@code IN (…)} becoming {@code = ANY (ARRAY[…])}, {@code BETWEEN} becoming two comparisons or an
 * implicit {@code ELSE NULL}: the scripts avoid those forms. (The defaults PostgreSQL prints
 * predictably are compared exactly, without the normaliser, in {@link PostgresConventionsTest}.)
 */
class SchemaParityTest {

    private static final DdlSchemaParser PARSER = new DdlSchemaParser(new PostgresConventions());

    static Stream<Arguments> scripts() {
        List<Arguments> cases = new ArrayList<>();
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            for (String[] script : SCRIPTS) {
                cases.add(Arguments.of(server, script[0], script[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("scripts")
    void parsingGivesTheSchemaTheServerReports(PostgresServer server, String name, String ddl) throws SQLException {
        Schema parsed = PARSER.parse(ddl);

        Schema introspected;
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl);
            introspected = PostgresIntrospector.read(c);
        }

        assertThat(parsed.tables()).as("tables of %s", name).isNotEmpty();
        assertThat(comparable(parsed)).usingRecursiveComparison().isEqualTo(comparable(introspected));
    }

    @Test
    void theNormaliserIgnoresOnlyHowPostgresPrints() {
        assertThat(normalise("NOW()")).isEqualTo(normalise("now()"));
        assertThat(normalise("qty >= 0")).isEqualTo(normalise("(qty >= (0)::numeric)"));
        assertThat(normalise("'It''s'")).isEqualTo(normalise("'It''s'::character varying"));
        assertThat(normalise("a != 0 AND b IS NOT NULL")).isEqualTo(normalise("((a <> 0) AND (b IS NOT NULL))"));
        assertThat(normalise("created_at")).isEqualTo(normalise("(created_at)::timestamp(3) with time zone"));
        assertThat(normalise("'{}'")).isEqualTo(normalise("'{}'::text[]"));
        assertThat(normalise("qty > 0")).isNotEqualTo(normalise("qty > 1"));
        assertThat(normalise("\"it's\" IS NOT NULL")).isEqualTo(normalise("(\"it's\" IS NOT NULL)"));
        assertThat(normalise("\"c_x\" > -1")).isEqualTo(normalise("(c_x > '-1'::integer)"));
        assertThat(normalise("\"Mixed\" = 'a'")).isNotEqualTo(normalise("\"mixed\" = 'a'"));
        assertThat(normalise("'Abc'")).isNotEqualTo(normalise("'abc'"));
        assertThat(normalise("a - b")).isNotEqualTo(normalise("a + b"));
    }

    // ---- the scripts ----

    private static final String[][] SCRIPTS = {
        {"the reference users table", """
                CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email VARCHAR(255) UNIQUE NOT NULL, full_name VARCHAR(255), created_at TIMESTAMPTZ DEFAULT NOW());
                """},
        {"foreign keys, checks, identity and generated columns", """
                CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(255) NOT NULL UNIQUE);
                CREATE TABLE products (sku text PRIMARY KEY, name text NOT NULL, price numeric(10,2) NOT NULL CHECK (price > 0));
                CREATE TABLE orders (
                  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
                  status text NOT NULL DEFAULT 'new',
                  total numeric(12, 2) NOT NULL DEFAULT 0 CHECK (total >= 0),
                  discount numeric(12,2) CHECK (discount >= 0 AND discount <= total),
                  placed_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
                  note varchar(500) DEFAULT NULL,
                  CHECK (1 = 1)
                );
                CREATE TABLE order_items (
                  order_id bigint REFERENCES orders (id) ON DELETE CASCADE ON UPDATE NO ACTION,
                  line int GENERATED BY DEFAULT AS IDENTITY,
                  sku text NOT NULL,
                  qty int NOT NULL DEFAULT 1 CHECK (qty > 0),
                  price numeric(10,2),
                  gross numeric GENERATED ALWAYS AS (qty * price) STORED,
                  PRIMARY KEY (order_id, line),
                  CONSTRAINT order_items_sku_fk FOREIGN KEY (sku) REFERENCES products (sku) ON DELETE RESTRICT ON UPDATE CASCADE
                );
                CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories ON DELETE SET NULL, code text NOT NULL);
                CREATE UNIQUE INDEX categories_code ON categories (code);
                CREATE TABLE product_categories (sku text REFERENCES products, code text REFERENCES categories (code) ON UPDATE SET DEFAULT,
                  UNIQUE (sku, code));
                """},
        {"partial, expression, multi-column and unique indexes", """
                CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL, tenant int NOT NULL, deleted_at timestamptz,
                  name text, score int);
                CREATE UNIQUE INDEX ON accounts (lower(email));
                CREATE INDEX CONCURRENTLY ON accounts (tenant, name);
                CREATE INDEX ON accounts (tenant) WHERE deleted_at IS NULL;
                CREATE INDEX ON accounts (tenant DESC, score);
                CREATE INDEX ON accounts ((score + 1));
                CREATE INDEX ON accounts (lower(email), lower(name));
                CREATE INDEX ON accounts USING hash (name);
                CREATE INDEX accounts_named ON accounts (name) WHERE score > 10 AND deleted_at IS NULL;
                CREATE INDEX ON accounts (tenant);
                CREATE INDEX ON accounts (((score + 1)::text));
                CREATE INDEX ON accounts ((score::bigint));
                CREATE INDEX IF NOT EXISTS accounts_named ON accounts (score);
                CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_live_email ON accounts (tenant, email) WHERE deleted_at IS NULL;
                CREATE INDEX ON accounts (coalesce(name, email) DESC NULLS FIRST, id);
                """},
        {"quoted mixed-case names", """
                CREATE TABLE "Customers" ("Id" serial PRIMARY KEY, "Email" text UNIQUE, "Full Name" varchar(100), Region TEXT,
                  "weird ""q""\" int CHECK ("weird ""q""\" > 0));
                CREATE INDEX ON "Customers" ("Full Name", REGION);
                CREATE INDEX "IdxByEmail" ON "Customers" (lower("Email"));
                CREATE TABLE "Order-Lines" (id bigserial, "CustomerId" int REFERENCES "Customers");
                ALTER TABLE "Order-Lines" ADD PRIMARY KEY (id);
                CREATE TABLE MixedUnquoted (SomeColumn int, "SomeColumn" int UNIQUE);
                """},
        {"generated names: collisions, merged keys and truncation", """
                CREATE TABLE t_a_key (x int);
                CREATE TABLE t (a int UNIQUE, b int, CHECK (a > 0), CHECK (a < 100), CHECK (a < b), CONSTRAINT t_b_check CHECK (b <> 5),
                  CHECK (b > 0 AND b < 10), UNIQUE (a, b), FOREIGN KEY (b) REFERENCES t (a), FOREIGN KEY (b) REFERENCES t (a));
                CREATE TABLE u_id_seq (x int);
                CREATE TABLE u (id serial PRIMARY KEY UNIQUE, v int UNIQUE, CONSTRAINT v_named UNIQUE (v), w int, UNIQUE (w), UNIQUE (w));
                CREATE TABLE w (a int, UNIQUE (a), CONSTRAINT w_a_key CHECK (a > 0));
                CREATE TABLE a_very_long_table_name_that_goes_on_and_on_and_on_forever_and_ever (
                  a_very_long_column_name_that_goes_on_and_on_and_on_forever_abc serial PRIMARY KEY,
                  b int UNIQUE,
                  c int CHECK (c > 0),
                  a_very_long_column_name_that_goes_on_and_on_and_on_forever_abd int UNIQUE
                    REFERENCES a_very_long_table_name_that_goes_on_and_on_and_on_forever_and_ever (b));
                CREATE INDEX ON a_very_long_table_name_that_goes_on_and_on_and_on_forever_and_ever (b);
                CREATE INDEX ON a_very_long_table_name_that_goes_on_and_on_and_on_forever_and_ever (b);
                CREATE TABLE "üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü" ("ééééééééééééééééééééééééééééééééééééé" int PRIMARY KEY, b int UNIQUE);
                CREATE INDEX ON "üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü" ("ééééééééééééééééééééééééééééééééééééé", b);
                """},
        {"ALTER TABLE … ADD constraints", """
                CREATE TABLE p (id int, code text);
                CREATE TABLE c (id int, pid int, code text, qty int);
                ALTER TABLE p ADD PRIMARY KEY (id);
                ALTER TABLE ONLY p ADD CONSTRAINT p_code UNIQUE (code);
                ALTER TABLE c ADD CONSTRAINT c_qty CHECK (qty > 0) NOT VALID, ADD FOREIGN KEY (pid) REFERENCES p NOT VALID,
                  ADD CONSTRAINT c_code FOREIGN KEY (code) REFERENCES p (code) ON DELETE CASCADE;
                ALTER TABLE c ADD CHECK (qty < 10), ADD PRIMARY KEY (id);
                ALTER TABLE c ADD CHECK (pid > 0), ADD CONSTRAINT c_pid_check UNIQUE (code);
                ALTER TABLE c ADD UNIQUE (pid, code), ADD FOREIGN KEY (pid) REFERENCES p;
                """},
        {"types in every spelling", """
                CREATE TABLE ty (a int, b int4, c integer, d int8, e bigint, f int2, g smallint, h varchar, i varchar(10),
                  j character varying(20), k char, l char(3), m character, n bpchar, o bpchar(4), p bool, q boolean, r float8,
                  s double precision, t float4, u real, v float, w float(24), x float(25), y decimal, z decimal(10,2), aa numeric(5),
                  ab timestamptz, ac timestamptz(3), ad timestamp with time zone, ae timestamp, af timestamp(6) without time zone,
                  ag time, ah timetz, ai time with time zone, aj time(2), ak text, al uuid, am jsonb, an json, ao bytea, ap date,
                  aq interval, ar interval(3), as_ int[], at int[][], au varchar(5)[], av text ARRAY, aw int[3], ax bit, ay varbit,
                  az bit varying(5), ba serial4, bb serial8, bc serial2, bd smallserial, bf name, bg oid, bh inet, bi cidr,
                  bj macaddr, bk money, bl xml, bm tsvector, bn pg_catalog.int4, bo INTEGER, bp TIMESTAMP WITH TIME ZONE);
                """},
    };

    // ---- comparison ----

    private static void execute(Connection c, String ddl) throws SQLException {
        try (Statement s = c.createStatement()) {
            // One statement at a time: CREATE INDEX CONCURRENTLY cannot run inside a multi-statement string.
            for (String statement : ddl.split(";\\s*\\n")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
    }

    private static Schema comparable(Schema schema) {
        return ComparableSchema.of(schema);
    }

    static String normalise(String sql) {
        return ComparableSchema.normalise(sql);
    }
}
