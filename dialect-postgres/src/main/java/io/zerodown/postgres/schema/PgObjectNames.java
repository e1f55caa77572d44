package io.zerodown.postgres.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.schema.Index;
import io.zerodown.schema.SchemaConventions.TakenNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The names PostgreSQL gives to what DDL leaves unnamed, following its source: {@code makeObjectName},
 * {@code ChooseRelationName}, {@code ChooseConstraintName}, {@code ChooseIndexNameAddition} and
 * {@code ChooseIndexColumnNames}. Each was checked against PostgreSQL 12 and 18 (see
 * {@code PostgresConventionsTest}).
 *
 * <ul>
 *   <li>a name is {@code name1[_name2]_label}; when longer than 63 bytes the longer of name1 and
 *       name2 is cut first, then the other, one byte at a time;</li>
 *   <li>on a collision the label gets a number: {@code _key1}, {@code _key2}, … (so the cut is
 *       recomputed for the longer label);</li>
 *   <li>relation names (tables, indexes, sequences) collide with relations, and the index of a key
 *       constraint also with constraints; CHECK and FOREIGN KEY names collide with constraints of any
 *       table in the schema only.</li>
 * </ul>
 */
final class PgObjectNames {

    private PgObjectNames() {
    }

    /** {@code ChooseRelationName}: a table, index or sequence name; {@code isConstraint} for a key's index. */
    static String relationName(String name1, String name2, String label, boolean isConstraint, TakenNames taken) {
        String modified = label;
        for (int pass = 1; ; pass++) {
            String name = makeObjectName(name1, name2, modified);
            if (!taken.isRelation(name) && !(isConstraint && taken.isConstraint(name))) {
                return name;
            }
            modified = label + pass;
        }
    }

    /** {@code ChooseConstraintName}: a CHECK or FOREIGN KEY name. */
    static String constraintName(String name1, String name2, String label, TakenNames taken) {
        String modified = label;
        for (int pass = 1; ; pass++) {
            String name = makeObjectName(name1, name2, modified);
            if (!taken.isConstraint(name)) {
                return name;
            }
            modified = label + pass;
        }
    }

    /** {@code makeObjectName}: {@code name1[_name2][_label]} cut to 63 bytes, the longer part first. */
    static String makeObjectName(String name1, String name2, String label) {
        int overhead = (name2 != null ? 1 : 0) + (label != null ? PgIdentifiers.bytes(label) + 1 : 0);
        int available = PgIdentifiers.MAX_BYTES - overhead;
        int bytes1 = PgIdentifiers.bytes(name1);
        int bytes2 = name2 == null ? 0 : PgIdentifiers.bytes(name2);
        while (bytes1 + bytes2 > available) {
            if (bytes1 > bytes2) {
                bytes1--;
            } else {
                bytes2--;
            }
        }
        StringBuilder name = new StringBuilder(PgIdentifiers.truncate(name1, bytes1));
        if (name2 != null) {
            name.append('_').append(PgIdentifiers.truncate(name2, bytes2));
        }
        if (label != null) {
            name.append('_').append(label);
        }
        return name.toString();
    }

    /**
     * {@code ChooseIndexNameAddition} (and {@code ChooseForeignKeyConstraintNameAddition}): the names
     * joined with {@code _}, stopping once 64 bytes are reached.
     */
    static String addition(List<String> names) {
        StringBuilder joined = new StringBuilder();
        for (String name : names) {
            if (joined.length() > 0) {
                joined.append('_');
            }
            joined.append(PgIdentifiers.truncate(name, PgIdentifiers.MAX_BYTES));
            if (PgIdentifiers.bytes(joined.toString()) >= PgIdentifiers.MAX_BYTES + 1) {
                break;
            }
        }
        return joined.toString();
    }

    static List<String> columnNames(List<ColumnName> columns) {
        return columns.stream().map(ColumnName::value).toList();
    }

    /**
     * {@code ChooseIndexColumnNames}: a column's name, an expression's name as PostgreSQL figures it
     * ({@code lower} for {@code lower(email)}; {@code expr} when it has none), numbered when the same
     * name comes again ({@code lower}, {@code lower1}).
     */
    static List<String> indexColumnNames(List<Index.Element> elements) {
        List<String> names = new ArrayList<>();
        for (Index.Element element : elements) {
            String original = element instanceof Index.Element.OfColumn column
                    ? column.column().value()
                    : PgExpressionNames.figure(((Index.Element.OfExpression) element).expression()).orElse("expr");
            String name = original;
            for (int i = 1; names.contains(name); i++) {
                String suffix = Integer.toString(i);
                name = PgIdentifiers.truncate(original, PgIdentifiers.MAX_BYTES - suffix.length()) + suffix;
            }
            names.add(name);
        }
        return names;
    }

    static Optional<String> single(List<ColumnName> columns) {
        return columns.size() == 1 ? Optional.of(columns.get(0).value()) : Optional.empty();
    }
}
