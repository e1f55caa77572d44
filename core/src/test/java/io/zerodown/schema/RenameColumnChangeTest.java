package io.zerodown.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.model.ColumnName;
import io.zerodown.plan.SchemaChange;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link SchemaChange.RenameColumn}: the column and every reference to it, names of indexes and constraints kept. */
class RenameColumnChangeTest {

    private static final DdlSchemaParser PARSER = new DdlSchemaParser(new TestConventions());
    private static final TableName USERS = TableName.of("users");

    private static final String DDL = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, email_lower text "
            + "GENERATED ALWAYS AS (lower(email)) STORED, age int, CONSTRAINT users_email_key UNIQUE (email, age), "
            + "CONSTRAINT email_has_at CHECK (email LIKE '%@%' AND email <> 'email'));\n"
            + "CREATE INDEX users_email_idx ON users (email DESC, age);\n"
            + "CREATE INDEX users_lower_idx ON users (lower(email)) WHERE email IS NOT NULL;\n"
            + "CREATE TABLE logins (id bigint PRIMARY KEY, user_email text, user_age int, "
            + "CONSTRAINT logins_user_fk FOREIGN KEY (user_email, user_age) REFERENCES users (email, age));\n";

    @Test
    void everyReferenceFollowsTheColumnAndNamesStay() {
        Schema before = PARSER.parse(DDL);
        Schema after = new SchemaChange.RenameColumn(USERS, ColumnName.of("email"), ColumnName.of("Mail Box")).apply(before);
        Table users = after.requireTable(USERS);
        assertThat(users.columns()).extracting(Column::name).extracting(ColumnName::value)
                .containsExactly("id", "Mail Box", "email_lower", "age");
        assertThat(users.column(ColumnName.of("email_lower")).orElseThrow().generation())
                .contains(new Generation.Stored(SqlExpression.of("lower(\"Mail Box\")")));
        assertThat(users.constraint(ConstraintName.of("users_email_key")).orElseThrow().columns())
                .containsExactly(ColumnName.of("Mail Box"), ColumnName.of("age"));
        assertThat(((Constraint.Check) users.constraint(ConstraintName.of("email_has_at")).orElseThrow()).expression().source())
                .as("the string literal 'email' is not a reference").isEqualTo("\"Mail Box\" LIKE '%@%' AND \"Mail Box\" <> 'email'");
        Index byEmail = users.index(IndexName.of("users_email_idx")).orElseThrow();
        assertThat(byEmail.elements()).containsExactly(new Index.Element.OfColumn(ColumnName.of("Mail Box"), true),
                new Index.Element.OfColumn(ColumnName.of("age"), false));
        Index byLower = users.index(IndexName.of("users_lower_idx")).orElseThrow();
        assertThat(byLower.elements()).containsExactly(new Index.Element.OfExpression(SqlExpression.of("lower(\"Mail Box\")"), false));
        assertThat(byLower.predicate()).contains(SqlExpression.of("\"Mail Box\" IS NOT NULL"));
        Constraint.ForeignKey fk = (Constraint.ForeignKey) after.requireTable(TableName.of("logins"))
                .constraint(ConstraintName.of("logins_user_fk")).orElseThrow();
        assertThat(fk.referencedColumns()).containsExactly(ColumnName.of("Mail Box"), ColumnName.of("age"));
        assertThat(fk.columns()).as("the referencing table's own columns keep their names")
                .containsExactly(ColumnName.of("user_email"), ColumnName.of("user_age"));

        Schema back = new SchemaChange.RenameColumn(USERS, ColumnName.of("Mail Box"), ColumnName.of("email")).apply(after);
        assertThat(back).isEqualTo(before);
    }

    @Test
    void aForeignKeyColumnOfTheTableItselfIsRenamed() {
        Schema before = PARSER.parse(DDL);
        Schema after = new SchemaChange.RenameColumn(TableName.of("logins"), ColumnName.of("user_email"), ColumnName.of("email"))
                .apply(before);
        assertThat(after.requireTable(TableName.of("logins")).constraint(ConstraintName.of("logins_user_fk")).orElseThrow().columns())
                .containsExactly(ColumnName.of("email"), ColumnName.of("user_age"));
        assertThat(after.requireTable(USERS)).isEqualTo(before.requireTable(USERS));
    }

    @Test
    void refusesWhatDoesNotFit() {
        Schema schema = PARSER.parse(DDL);
        assertThatThrownBy(() -> new SchemaChange.RenameColumn(USERS, ColumnName.of("nope"), ColumnName.of("x")).apply(schema))
                .hasMessageContaining("no column \"nope\" on \"users\"");
        assertThatThrownBy(() -> new SchemaChange.RenameColumn(USERS, ColumnName.of("email"), ColumnName.of("age")).apply(schema))
                .hasMessageContaining("column \"age\" already exists on \"users\"");
        assertThatThrownBy(() -> new SchemaChange.RenameColumn(TableName.of("nobody"), ColumnName.of("a"), ColumnName.of("b")).apply(schema))
                .hasMessageContaining("no table \"nobody\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "(email <> ''::text)                 | email | mail       | (mail <> ''::text)",
            "(\"Email\" <> 'email')              | Email | mail       | (mail <> 'email')",
            "(email <> 'email')                  | email | select     | (\"select\" <> 'email')",
            "(email <> 'email')                  | email | a\"b       | (\"a\"\"b\" <> 'email')",
            "(\"email\" > 0)                     | email | mail       | (\"mail\" > 0)",
            "(EMAIL IS NOT NULL)                 | email | mail       | (mail IS NOT NULL)",
            "(lower(email) = email::text)        | email | mail       | (lower(mail) = mail::text)",
            "(x::email = t.email AND email(1))   | email | mail       | (x::email = t.email AND email(1))",
            "(emails > email1 AND email2e = 1e5) | email | mail       | (emails > email1 AND email2e = 1e5)",
            "(\"Ünï\" <> '')                     | Ünï   | ü b        | (\"ü b\" <> '')",
    })
    void referencesInExpressions(String expression, String from, String to, String expected) {
        SqlExpression renamed = SqlExpression.of(expression).withColumnRenamed(from, to);
        assertThat(renamed.source()).isEqualTo(expected);
        assertThat(renamed.withColumnRenamed(to, from).source()).as("renamed back")
                .isEqualTo(expression.replace("EMAIL", "email"));
    }

    @Test
    void aColumnWithoutReferencesChangesOnlyItsName() {
        Schema schema = Schema.of(new Table(USERS, List.of(Column.of("a", io.zerodown.model.SqlType.of("int"))), List.of(), List.of(),
                List.of()));
        Schema after = new SchemaChange.RenameColumn(USERS, ColumnName.of("a"), ColumnName.of("b")).apply(schema);
        assertThat(after.requireTable(USERS).columns()).containsExactly(new Column(ColumnName.of("b"),
                io.zerodown.model.SqlType.of("int"), true, Optional.empty(), Optional.empty()));
    }
}
