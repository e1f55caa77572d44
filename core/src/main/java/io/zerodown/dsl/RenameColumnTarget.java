package io.zerodown.dsl;

/** The new name of a column. */
public interface RenameColumnTarget {

    TableChanges to(String newName);
}
