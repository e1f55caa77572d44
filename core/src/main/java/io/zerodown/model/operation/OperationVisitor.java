package io.zerodown.model.operation;

/** Dispatch over the closed set of operations; one method per operation, no defaults. */
public interface OperationVisitor<R> {

    R visitSplitColumn(SplitColumn operation);

    R visitCreateIndex(CreateIndex operation);
}
