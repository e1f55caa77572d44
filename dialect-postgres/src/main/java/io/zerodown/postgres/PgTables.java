package io.zerodown.postgres;

import io.zerodown.model.TableName;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** SQL and name rules shared by the table operations (create, rename, drop). */
final class PgTables {

    private PgTables() {
    }

    /**
     * The names of the relations the schema knows of: tables, indexes (those backing PRIMARY KEY and
     * UNIQUE constraints included, which carry the constraint's name) and the sequences of serial
     * columns. PostgreSQL keeps all of them in one namespace per schema.
     */
    static Set<String> relationNames(Schema schema) {
        Set<String> names = new LinkedHashSet<>();
        for (Table t : schema.tables()) {
            names.add(t.name().value());
            for (Index i : t.indexes()) {
                names.add(i.name().value());
            }
            for (Constraint c : t.constraints()) {
                if (c instanceof Constraint.PrimaryKey || c instanceof Constraint.Unique) {
                    names.add(c.name().value());
                }
            }
            t.columns().forEach(c -> c.generation().ifPresent(g -> {
                if (g instanceof Generation.Serial serial) {
                    names.add(serial.sequence());
                }
            }));
        }
        return names;
    }

    /** PL/pgSQL: true when {@code table} exists and is a table (not a view of that name). */
    static String isTable(TableName table) {
        return "EXISTS (SELECT FROM pg_class WHERE oid = " + PgSql.toRegclass(table) + " AND relkind IN ('r', 'p'))";
    }

    /** PL/pgSQL: true when {@code view} exists and is a view. */
    static String isView(TableName view) {
        return "EXISTS (SELECT FROM pg_class WHERE oid = " + PgSql.toRegclass(view) + " AND relkind = 'v')";
    }

    /** Renames the table unless it is already renamed: PL/pgSQL, for a {@code DO} block. */
    static String renameIfNeeded(TableName from, TableName to) {
        return "IF " + isTable(from) + " AND " + PgSql.toRegclass(to) + " IS NULL THEN\n"
                + "  ALTER TABLE " + PgSql.quote(from) + " RENAME TO " + PgSql.quote(to) + ";\n"
                + "END IF";
    }

    /** Drops the view if there is one of that name (never a table): PL/pgSQL, for a {@code DO} block. */
    static String dropViewIfPresent(TableName view) {
        return "IF " + isView(view) + " THEN\n"
                + "  DROP VIEW " + PgSql.quote(view) + ";\n"
                + "END IF";
    }

    /**
     * {@code <table>_zd_dropped}, kept within 63 bytes: a longer name is cut (never inside a
     * character) and given a short hash of the whole, so that two long names never meet once cut.
     */
    static String outOfTheWayName(String table, String suffix) {
        String full = table + suffix;
        if (!PgNames.tooLong(full)) {
            return full;
        }
        String hash = "_" + hash(full);
        int budget = PgNames.MAX_IDENTIFIER_BYTES - hash.getBytes(StandardCharsets.UTF_8).length
                - suffix.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder cut = new StringBuilder();
        int used = 0;
        for (int i = 0; i < table.length(); ) {
            int cp = table.codePointAt(i);
            int bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + bytes > budget) {
                break;
            }
            cut.appendCodePoint(cp);
            used += bytes;
            i += Character.charCount(cp);
        }
        return cut + hash + suffix;
    }

    private static String hash(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** The tables other than {@code table} that its foreign keys reference, in order, without repeats. */
    static List<String> referencedTables(Table table) {
        Set<String> parents = new LinkedHashSet<>();
        for (Constraint c : table.constraints()) {
            if (c instanceof Constraint.ForeignKey fk && !fk.referencedTable().equals(table.name())) {
                parents.add(fk.referencedTable().value());
            }
        }
        return List.copyOf(parents);
    }
}
