package io.zerodown.dsl;

/** The new column that receives the merged values. */
public interface MergeColumnsTarget {

    MergeColumnsOptions into(String column);
}
