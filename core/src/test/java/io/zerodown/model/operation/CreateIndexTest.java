package io.zerodown.model.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.Migration;
import io.zerodown.model.TableName;
import org.junit.jupiter.api.Test;

class CreateIndexTest {

    private static CreateIndex first(io.zerodown.dsl.TableChanges changes) {
        return (CreateIndex) changes.plan().operations().get(0);
    }

    @Test
    void namesItAfterTableAndColumnsUnlessNamed() {
        assertThat(first(Migration.on("users").createIndex("last_name", "first_name")).resolvedName().value())
                .isEqualTo("users_last_name_first_name_idx");
        assertThat(first(Migration.on("users").createIndex("email").unique()).resolvedName().value()).isEqualTo("users_email_key");
        assertThat(first(Migration.on("users").createIndex("email").named("by_email")).resolvedName().value()).isEqualTo("by_email");
    }

    @Test
    void checksColumnsExpressionsAndPredicateAgainstTheSchema() {
        CreateIndex op = first(Migration.on("users").createIndex("full_nam").where("nickname IS NOT NULL"));
        assertThat(op.problems(SplitColumnTest.USERS)).containsExactlyInAnyOrder(
                "unknown column \"full_nam\" in table \"users\" (did you mean \"full_name\"?)",
                "WHERE clause \"nickname IS NOT NULL\": unknown column \"nickname\" in table \"users\"");
        CreateIndex expr = first(Migration.on("users").createIndexOnExpressions("lower(full_name) ; DROP TABLE users"));
        assertThat(expr.problems(SplitColumnTest.USERS)).singleElement().asString().startsWith("index expression: not a single SQL expression");
    }

    @Test
    void refusesANameThatIsTaken() {
        CreateIndex op = first(Migration.on("users").createIndex("full_name").named("users"));
        assertThat(op.problems(SplitColumnTest.USERS)).contains("a table named \"users\" exists; an index cannot share its name");
        CreateIndex pk = first(Migration.on("users").createIndex("full_name").named("users_pkey"));
        assertThat(pk.problems(SplitColumnTest.USERS)).contains("a constraint named \"users_pkey\" already exists; choose another name with named(…)");
    }

    @Test
    void aValidIndexIsAddedByApplyTo() {
        CreateIndex op = first(Migration.on("users").createIndex("full_name").where("full_name IS NOT NULL"));
        assertThat(op.problems(SplitColumnTest.USERS)).isEmpty();
        assertThat(op.applyTo(SplitColumnTest.USERS).requireTable(TableName.of("users")).indexes())
                .singleElement().satisfies(i -> assertThat(i.predicate()).isPresent());
    }
}
