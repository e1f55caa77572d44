package io.zerodown.postgres;

import io.zerodown.model.context.Target;
import io.zerodown.model.schema.Schema;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.testing.DatabaseUnderTest;
import io.zerodown.testing.LogicalType;
import io.zerodown.testing.TableSpec;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Collectors;

/** The shared round-trip contract's view of a real PostgreSQL server. */
final class PostgresRoundTripSupport implements DatabaseUnderTest {

    private final PostgresServer server;

    PostgresRoundTripSupport(PostgresServer server) {
        this.server = server;
    }

    @Override
    public Target target() {
        return Target.postgres(server.major());
    }

    @Override
    public String typeSql(LogicalType type) {
        return switch (type) {
            case TEXT -> "text";
            case VARCHAR_100 -> "character varying(100)";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case DECIMAL_12_2 -> "numeric(12,2)";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamp with time zone";
        };
    }

    @Override
    public String createTable(TableSpec table) {
        String columns = table.columns().stream()
                .map(c -> PgSql.quote(c.name()) + " " + typeSql(c.type()) + (c.nullable() ? "" : " NOT NULL"))
                .collect(Collectors.joining(", "));
        return "CREATE TABLE " + PgSql.quote(table.name()) + " (" + PgSql.quote(table.key()) + " bigint PRIMARY KEY, " + columns + ");";
    }

    @Override
    public Schema comparable(Schema schema) {
        return ComparableSchema.of(schema);
    }

    @Override
    public Session open() {
        TestDatabase db = server.createDatabase();
        try {
            Connection connection = db.connect();
            return new Session() {
                @Override
                public Connection connection() {
                    return connection;
                }

                @Override
                public Schema introspect() throws Exception {
                    return PgTestSupport.introspect(connection);
                }

                @Override
                public String checksum(String table, String key, List<String> columns) throws Exception {
                    String[] all = new String[columns.size() + 1];
                    all[0] = key;
                    for (int i = 0; i < columns.size(); i++) {
                        all[i + 1] = columns.get(i);
                    }
                    return PgTestSupport.checksum(connection, table, all);
                }

                @Override
                public void limitBackfillToOneBatch(boolean on) throws Exception {
                    PgTestSupport.execute(connection, on ? "SET zerodown.max_batches = 1" : "RESET zerodown.max_batches");
                }

                @Override
                public void close() throws Exception {
                    try {
                        connection.close();
                    } finally {
                        db.close();
                    }
                }
            };
        } catch (Exception e) {
            db.close();
            throw new IllegalStateException(e);
        }
    }
}
