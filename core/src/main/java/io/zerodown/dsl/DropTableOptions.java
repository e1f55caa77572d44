package io.zerodown.dsl;

/** Options of a table drop; any other change can follow. */
public interface DropTableOptions extends TableChanges {

    /** Rename the table out of the way first (undoable); drop it only in the contract phase. */
    DropTableOptions renameFirst();
}
