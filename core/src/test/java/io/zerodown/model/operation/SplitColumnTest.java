package io.zerodown.model.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.Migration;
import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitColumnTest {

    static final Schema USERS = Schema.of(new Table(TableName.of("users"), List.of(
            Column.of("id", SqlType.of("bigint")).withNullable(false),
            Column.of("full_name", SqlType.of("character varying", 255))),
            List.of(new Constraint.PrimaryKey(io.zerodown.model.ConstraintName.of("users_pkey"), List.of(ColumnName.of("id")))),
            List.of(), List.of()));

    private static SplitColumn split(String table, String source, String sep, String first, String second, int batch) {
        return (SplitColumn) Migration.on(table).splitColumn(source).atFirst(sep).into(first, second).batched(batch)
                .plan().operations().get(0);
    }

    @Test
    void aValidSplitHasNoProblemsAndAddsBothColumnsAndDropsTheSource() {
        SplitColumn op = split("users", "full_name", " ", "first_name", "last_name", 10_000);
        assertThat(op.problems(USERS)).isEmpty();
        Table after = op.applyTo(USERS).requireTable(TableName.of("users"));
        assertThat(after.columns()).extracting(c -> c.name().value()).containsExactly("id", "first_name", "last_name");
        assertThat(after.column(ColumnName.of("first_name")).orElseThrow().type()).isEqualTo(SqlType.of("character varying", 255));
    }

    @Test
    void keepSourceKeepsIt() {
        SplitColumn op = (SplitColumn) Migration.on("users").splitColumn("full_name").atFirst(" ").into("a", "b").keepSource()
                .plan().operations().get(0);
        assertThat(op.applyTo(USERS).requireTable(TableName.of("users")).hasColumn(ColumnName.of("full_name"))).isTrue();
    }

    @Test
    void reportsEveryProblemAtOnce() {
        SplitColumn op = split("users", "fullname", "", "id", "id", 0);
        assertThat(op.problems(USERS)).containsExactlyInAnyOrder(
                "the separator is empty; give the text to split at, e.g. atFirst(\" \")",
                "both parts go to the same column \"id\"; name two different columns",
                "batch size must be at least 1, got 0",
                "unknown column \"fullname\" in table \"users\" (did you mean \"full_name\"?)",
                "column \"id\" already exists in table \"users\"; choose another name, or drop it first",
                "column \"id\" already exists in table \"users\"; choose another name, or drop it first");
    }

    @Test
    void suggestsTheTableWhenOnlyTheCaseDiffers() {
        assertThat(split("Users", "full_name", " ", "a", "b", 1).problems(USERS))
                .containsExactly("unknown table \"Users\" (did you mean \"users\"?)");
    }

    @Test
    void refusesBadNames() {
        assertThat(split("users", "full_name", " ", "", " b", 1).problems(USERS))
                .contains("first column name is empty", "second column name \" b\" starts or ends with whitespace");
    }
}
