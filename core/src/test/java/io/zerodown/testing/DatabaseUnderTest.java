package io.zerodown.testing;

import io.zerodown.model.context.Target;
import io.zerodown.model.schema.Schema;
import java.sql.Connection;

/** What a dialect's test provides so the shared round-trip contract can run on its real server. */
public interface DatabaseUnderTest {

    /** The target the packages are compiled for (the server's version). */
    Target target();

    /** The dialect's spelling of a generated type. */
    String typeSql(LogicalType type);

    /** {@code CREATE TABLE} for the spec, names quoted. */
    String createTable(TableSpec table);

    /**
     * The schema with expression texts normalised, so that a simulated schema can be compared
     * with the catalog, which prints defaults, checks and predicates its own way.
     */
    Schema comparable(Schema schema);

    /** A new, empty database on the real server. */
    Session open() throws Exception;

    /** A connection to a fresh database, with what the contract needs of it. */
    interface Session extends AutoCloseable {

        Connection connection();

        /** The schema as the server's catalog reports it. */
        Schema introspect() throws Exception;

        /** A digest of the values of these columns in every row. */
        String checksum(String table, String key, java.util.List<String> columns) throws Exception;

        /** Makes the next backfill stop after one committed batch; {@code false} turns that off. */
        void limitBackfillToOneBatch(boolean on) throws Exception;
    }
}
