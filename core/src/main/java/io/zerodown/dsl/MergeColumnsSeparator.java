package io.zerodown.dsl;

/** The text put between merged values. */
public interface MergeColumnsSeparator {

    MergeColumnsTarget with(String separator);
}
