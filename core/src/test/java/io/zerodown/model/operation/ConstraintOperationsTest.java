package io.zerodown.model.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Constraint.ReferentialAction;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.SchemaChange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dialect-free part of the constraint operations: names, referenced keys, serving indexes, dependencies. */
class ConstraintOperationsTest {

    private static final TableName USERS = TableName.of("users");
    private static final TableName ORDERS = TableName.of("orders");

    /** users (id PK, email UNIQUE, name); orders (id PK, user_id → users, email, note) with an index on (email, id). */
    static final Schema SCHEMA = new Schema(List.of(
            new Table(USERS, List.of(column("id", false), column("email", false), column("name", true)),
                    List.of(new Constraint.PrimaryKey(ConstraintName.of("users_pkey"), List.of(ColumnName.of("id"))),
                            new Constraint.Unique(ConstraintName.of("users_email_key"), List.of(ColumnName.of("email")))),
                    List.of(), List.of()),
            new Table(ORDERS, List.of(column("id", false), column("user_id", true), column("email", true), column("note", false)),
                    List.of(new Constraint.PrimaryKey(ConstraintName.of("orders_pkey"), List.of(ColumnName.of("id"))),
                            new Constraint.ForeignKey(ConstraintName.of("orders_user_id_fkey"), List.of(ColumnName.of("user_id")), USERS,
                                    List.of(ColumnName.of("id")), ReferentialAction.NO_ACTION, ReferentialAction.NO_ACTION, true),
                            new Constraint.Check(ConstraintName.of("orders_note_check"), SqlExpression.of("note <> ''"), false)),
                    List.of(new Index(IndexName.of("orders_email_id_idx"), ORDERS, List.of(new Index.Element.OfColumn(ColumnName.of("email"), false),
                            new Index.Element.OfColumn(ColumnName.of("id"), false)), false, Optional.empty(), "btree", true)),
                    List.of())), List.of());

    private static Column column(String name, boolean nullable) {
        return new Column(ColumnName.of(name), SqlType.of("bigint"), nullable, Optional.empty(), Optional.empty());
    }

    private static <T extends Operation> T first(io.zerodown.dsl.TableChanges changes, Class<T> type) {
        return type.cast(changes.plan().operations().get(0));
    }

    @Test
    void aCheckIsNamedLikePostgresNamesIt() {
        assertThat(first(Migration.on("orders").addCheck("note <> 'x'"), AddCheck.class).resolvedName().value()).isEqualTo("orders_note_check");
        assertThat(first(Migration.on("orders").addCheck("\"Note\" > 0 AND \"Note\" < 9"), AddCheck.class).resolvedName().value())
                .isEqualTo("orders_Note_check");
        assertThat(first(Migration.on("orders").addCheck("user_id <> id"), AddCheck.class).resolvedName().value()).isEqualTo("orders_check");
        assertThat(first(Migration.on("orders").addCheck("note <> 'x'"), AddCheck.class).problems(SCHEMA))
                .containsExactly("a constraint named \"orders_note_check\" already exists on \"orders\"; give this check another name with named(…)");
    }

    @Test
    void aForeignKeyWithoutColumnsReferencesThePrimaryKeyAndIndexesOnlyWhenNothingServesIt() {
        AddForeignKey toPk = first(Migration.on("orders").addForeignKey("user_id").references("users"), AddForeignKey.class);
        assertThat(toPk.resolvedReferencedColumns(SCHEMA)).containsExactly(ColumnName.of("id"));
        assertThat(toPk.problems(SCHEMA)).containsExactly("a constraint named \"orders_user_id_fkey\" already exists on \"orders\"; "
                + "give this foreign key another name with named(…)");

        AddForeignKey byEmail = first(Migration.on("orders").addForeignKey("email").references("users", "email"), AddForeignKey.class);
        assertThat(byEmail.problems(SCHEMA)).isEmpty();
        assertThat(byEmail.servingIndex(SCHEMA)).contains("orders_email_id_idx");
        assertThat(byEmail.needsIndex(SCHEMA)).isFalse();
        Table after = byEmail.applyTo(SCHEMA).requireTable(ORDERS);
        assertThat(after.constraint(ConstraintName.of("orders_email_fkey"))).containsInstanceOf(Constraint.ForeignKey.class);
        assertThat(after.indexes()).hasSize(1);

        AddForeignKey byName = first(Migration.on("orders").addForeignKey("id", "user_id").references("users", "id", "email").named("two"),
                AddForeignKey.class);
        assertThat(byName.servingIndex(SCHEMA)).as("the primary key covers only id").isEmpty();
        assertThat(byName.applyTo(SCHEMA).requireTable(ORDERS).index(IndexName.of("orders_id_user_id_idx"))).isPresent();
    }

    @Test
    void aForeignKeyMustReferenceAKeyWithMatchingColumns() {
        assertThat(first(Migration.on("orders").addForeignKey("email").references("users", "name"), AddForeignKey.class).problems(SCHEMA))
                .containsExactly("the foreign key references [name] of table \"users\", which is neither its primary key nor unique: "
                        + "reference a primary key or unique constraint, or add one first (addUnique(…) on \"users\")");
        assertThat(first(Migration.on("users").addForeignKey("id").references("orders", "id", "note"), AddForeignKey.class).problems(SCHEMA))
                .containsExactly("a foreign key needs as many referenced columns as columns: 1 and 2");
        assertThat(first(Migration.on("orders").addForeignKey("note", "note").references("users", "id", "email")
                .onDelete(ReferentialAction.SET_NULL), AddForeignKey.class).problems(SCHEMA))
                .contains("a foreign key names a column twice: [note, note]",
                        "ON DELETE SET NULL would write NULL into column \"note\", which is NOT NULL: choose another action or drop NOT NULL first");
    }

    @Test
    void aReferencedKeyCannotBeDroppedAndARefusedDropLeavesTheSchemaAlone() {
        DropConstraint pk = first(Migration.on("users").dropConstraint("users_pkey"), DropConstraint.class);
        assertThat(pk.problems(SCHEMA)).containsExactly("primary key \"users_pkey\" is referenced by foreign key \"orders_user_id_fkey\" of "
                + "table \"orders\": drop that foreign key first (dropConstraint on its table), or keep the constraint");
        assertThatThrownBy(() -> pk.applyTo(SCHEMA)).isInstanceOf(IllegalStateException.class);
        DropConstraint fk = first(Migration.on("orders").dropConstraint("orders_user_id_fkey"), DropConstraint.class);
        assertThat(pk.problems(fk.applyTo(SCHEMA))).as("free once the foreign key is gone").isEmpty();
        assertThat(first(Migration.on("users").dropConstraint("users_email_key"), DropConstraint.class).problems(SCHEMA)).isEmpty();
    }

    @Test
    void notNullChangesRefuseWhatIsAlreadyDone() {
        assertThat(first(Migration.on("orders").setNotNull("note"), SetNotNull.class).problems(SCHEMA))
                .containsExactly("column \"note\" of table \"orders\" is already NOT NULL: there is nothing to do");
        assertThat(first(Migration.on("orders").dropNotNull("email"), DropNotNull.class).problems(SCHEMA))
                .containsExactly("column \"email\" of table \"orders\" already allows NULL: there is nothing to do");
    }

    @Test
    void validatingMarksACheckOrForeignKeyValid() {
        Schema validated = new SchemaChange.ValidateConstraint(ORDERS, ConstraintName.of("orders_note_check")).apply(SCHEMA);
        assertThat(validated.requireTable(ORDERS).constraint(ConstraintName.of("orders_note_check")))
                .hasValueSatisfying(c -> assertThat(((Constraint.Check) c).validated()).isTrue());
        assertThatThrownBy(() -> new SchemaChange.ValidateConstraint(ORDERS, ConstraintName.of("orders_pkey")).apply(SCHEMA))
                .hasMessageContaining("neither a CHECK nor a FOREIGN KEY");
    }
}
