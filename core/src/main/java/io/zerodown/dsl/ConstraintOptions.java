package io.zerodown.dsl;

/** Options of a CHECK, UNIQUE or PRIMARY KEY constraint; any other change can follow. */
public interface ConstraintOptions extends TableChanges {

    ConstraintOptions named(String name);
}
