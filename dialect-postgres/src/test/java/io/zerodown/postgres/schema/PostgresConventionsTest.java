package io.zerodown.postgres.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Schema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.schema.DdlSchemaParser;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link PostgresConventions} claims to print exactly as PostgreSQL does, checked exactly
 * (without {@link SchemaParityTest}'s normaliser) against the oldest and newest servers.
 */
class PostgresConventionsTest {

    private static final DdlSchemaParser PARSER = new DdlSchemaParser(new PostgresConventions());

    /** Column types and defaults: each default is one PgDefaults says it prints as PostgreSQL does. */
    private static final List<String> DEFAULTS = List.of(
            "timestamptz DEFAULT NOW()",
            "timestamptz DEFAULT current_timestamp",
            "timestamptz DEFAULT Current_Timestamp(3)",
            "date DEFAULT current_date",
            "time DEFAULT localtime",
            "text DEFAULT current_user",
            "double precision DEFAULT Random()",
            "text DEFAULT 'x'",
            "varchar(10) DEFAULT 'it''s'",
            "char(3) DEFAULT 'ab'",
            "varchar DEFAULT ''",
            "json DEFAULT '[1,  2]'",
            "jsonb DEFAULT '{}'",
            "text[] DEFAULT '{}'",
            "varchar(5)[] DEFAULT '{}'",
            "int DEFAULT 0",
            "int DEFAULT -1",
            "bigint DEFAULT -1",
            "bigint DEFAULT 3000000000",
            "bigint DEFAULT -9223372036854775808",
            "numeric DEFAULT 10000000000000000000",
            "int DEFAULT 007",
            "numeric DEFAULT 1.5",
            "numeric(10,2) DEFAULT 1.50",
            "numeric DEFAULT .5",
            "numeric DEFAULT 5.",
            "numeric DEFAULT 1e3",
            "double precision DEFAULT -0.5",
            "real DEFAULT 2.5e-1",
            "boolean DEFAULT TRUE",
            "boolean DEFAULT 'f'",
            "int DEFAULT '42'",
            "bigint DEFAULT '42'",
            "smallint DEFAULT '-3'",
            "numeric DEFAULT '7'",
            "text DEFAULT NULL",
            "int DEFAULT NULL::int",
            "varchar(20) DEFAULT NULL",
            "numeric(10,2) DEFAULT null",
            "timestamp(3) DEFAULT NULL",
            "bit(3) DEFAULT NULL",
            "varchar(5)[] DEFAULT NULL",
            "interval(2) DEFAULT NULL",
            "text DEFAULT $$dollar 'quoted'$$",
            "text DEFAULT E'tab\\tand \\'quote\\''",
            "int DEFAULT (1)",
            "text DEFAULT (('x'))",
            "int DEFAULT nextval('s')",
            "bigint DEFAULT nextval('public.s'::regclass)",
            "bigint DEFAULT nextval('\"Mixed_Seq\"')");

    static List<PostgresServer> servers() {
        return PostgresServers.oldestAndNewest();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void defaultsArePrintedAsPostgresPrintsThem(PostgresServer server) throws SQLException {
        String table = "CREATE TABLE d (" + IntStream.range(0, DEFAULTS.size())
                .mapToObj(i -> "c" + i + " " + DEFAULTS.get(i)).collect(Collectors.joining(",\n  ")) + ")";

        List<Column> parsed = PARSER.parse(table).requireTable(TableName.of("d")).columns();
        List<Column> introspected = introspect(server, "CREATE SEQUENCE s; CREATE SEQUENCE \"Mixed_Seq\"; " + table)
                .requireTable(TableName.of("d")).columns();

        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < DEFAULTS.size(); i++) {
            softly.assertThat(parsed.get(i)).as(DEFAULTS.get(i)).isEqualTo(introspected.get(i));
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void serialColumnsGetTheSequenceAndDefaultPostgresGivesThem(PostgresServer server) throws SQLException {
        String ddl = """
                CREATE TABLE "Users" ("Id" serial, "Other Id" bigserial, plain smallserial);
                CREATE TABLE u_id_seq (x int);
                CREATE TABLE u (id serial8);
                CREATE TABLE a_table_name_long_enough_to_be_cut_when_the_sequence_is_named (a_column_name_long_enough_to_be_cut_too serial);
                """;

        assertThat(introspect(server, ddl)).isEqualTo(PARSER.parse(ddl));
    }

    private static Schema introspect(PostgresServer server, String ddl) throws SQLException {
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(ddl);
            return PostgresIntrospector.read(c);
        }
    }
}
