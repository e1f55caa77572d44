package io.zerodown.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlExpressionTest {

    @Test
    void acceptsOneExpressionAndPrintsItFromItsSyntaxTree() {
        SqlExpression where = SqlExpression.of("last_name IS NOT NULL");
        assertThat(where.problem()).isEmpty();
        assertThat(where.sql()).isEqualTo("last_name IS NOT NULL");
    }

    @Test
    void dropsCommentsSoTheyCannotSwallowWhatFollows() {
        SqlExpression where = SqlExpression.of("last_name IS NOT NULL -- trailing comment");
        assertThat(where.problem()).isEmpty();
        assertThat(where.sql()).doesNotContain("--").contains("last_name IS NOT NULL");
    }

    @Test
    void refusesTrailingStatementsAndEmptyText() {
        assertThat(SqlExpression.of("true); DROP TABLE users; --").problem()).isPresent();
        assertThat(SqlExpression.of("a = 1; DELETE FROM users").problem()).isPresent();
        assertThat(SqlExpression.of("   ").problem()).contains("the expression is empty");
    }

    @Test
    void listsReferencedColumnsFoldingUnquotedNames() {
        SqlExpression e = SqlExpression.of("lower(Email) = \"Mixed Case\" AND users.age > 3");
        assertThat(e.referencedColumns()).containsExactly("email", "Mixed Case", "age");
    }

    @Test
    void niladicFunctionsAreNotColumnsUnlessQuoted() {
        assertThat(SqlExpression.of("created_by = current_user AND at < LOCALTIMESTAMP").referencedColumns())
                .containsExactly("created_by", "at");
        assertThat(SqlExpression.of("\"current_user\" IS NULL").referencedColumns()).containsExactly("current_user");
    }
}
