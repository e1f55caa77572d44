package io.zerodown.model.operation;

/** Dispatch over the closed set of operations; one method per operation, no defaults. */
public interface OperationVisitor<R> {

    R visitSplitColumn(SplitColumn operation);

    R visitCreateIndex(CreateIndex operation);

    R visitAddColumn(AddColumn operation);

    R visitDropColumn(DropColumn operation);

    R visitRenameColumn(RenameColumn operation);

    R visitRenameTable(RenameTable operation);

    R visitChangeColumnType(ChangeColumnType operation);

    R visitMergeColumns(MergeColumns operation);

    R visitBackfillColumn(BackfillColumn operation);

    R visitSetNotNull(SetNotNull operation);

    R visitDropNotNull(DropNotNull operation);

    R visitSetDefault(SetDefault operation);

    R visitDropDefault(DropDefault operation);

    R visitAddForeignKey(AddForeignKey operation);

    R visitAddCheck(AddCheck operation);

    R visitAddUnique(AddUnique operation);

    R visitAddPrimaryKey(AddPrimaryKey operation);

    R visitDropConstraint(DropConstraint operation);

    R visitDropIndex(DropIndex operation);

    R visitReindex(Reindex operation);

    R visitCreateTable(CreateTable operation);

    R visitDropTable(DropTable operation);
}
