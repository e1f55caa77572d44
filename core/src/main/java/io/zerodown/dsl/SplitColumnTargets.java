package io.zerodown.dsl;

/** Names the two new columns of a split. */
public interface SplitColumnTargets {

    /** The new columns: {@code first} gets the part before the cut, {@code second} the part after. */
    SplitColumnOptions into(String first, String second);
}
