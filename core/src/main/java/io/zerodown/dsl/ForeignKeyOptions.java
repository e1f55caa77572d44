package io.zerodown.dsl;

import io.zerodown.model.schema.Constraint.ReferentialAction;

/** Options of a foreign key; any other change can follow. */
public interface ForeignKeyOptions extends TableChanges {

    ForeignKeyOptions named(String name);

    ForeignKeyOptions onDelete(ReferentialAction action);

    ForeignKeyOptions onUpdate(ReferentialAction action);

    /** Do not index the referencing columns (by default they are indexed, concurrently where possible). */
    ForeignKeyOptions withoutIndex();
}
