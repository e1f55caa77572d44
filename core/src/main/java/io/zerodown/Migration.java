package io.zerodown;

import io.zerodown.dsl.MigrationBuilder;
import io.zerodown.dsl.TableChanges;

/**
 * Where a migration is described: a fluent DSL that builds an immutable
 * {@link io.zerodown.model.operation.MigrationPlan}. Nothing is checked or rendered while building;
 * {@link Zerodown#compile} validates the plan against the schema and produces the package.
 *
 * <pre>{@code
 * MigrationPlan plan = Migration.on("users")
 *         .splitColumn("full_name").atFirst(" ").into("first_name", "last_name").batched(10_000)
 *         .createIndex("last_name").where("last_name IS NOT NULL")
 *         .plan();
 * }</pre>
 *
 * <p>Names are taken exactly as written (they are quoted in the SQL): {@code "Users"} and
 * {@code "users"} are different tables.
 */
public final class Migration {

    private Migration() {
    }

    /** Starts a migration with changes to {@code table}. */
    public static TableChanges on(String table) {
        return MigrationBuilder.startingWith(table);
    }
}
