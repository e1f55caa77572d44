package io.zerodown.dsl;

/** Chooses where a split cuts. See {@link io.zerodown.model.operation.SplitColumn} for the exact semantics. */
public interface SplitColumnSeparator {

    /** Cut at the first occurrence of {@code separator}; the remainder goes to the second column. */
    SplitColumnTargets atFirst(String separator);

    /** Cut at the last occurrence of {@code separator}; everything before it goes to the first column. */
    SplitColumnTargets atLast(String separator);
}
