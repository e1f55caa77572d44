package io.zerodown.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTypeTest {

    @Test
    void parsesNamesModifiersAndArrays() {
        assertThat(SqlType.parse("VARCHAR(255)")).isEqualTo(new SqlType("varchar", List.of(255), 0));
        assertThat(SqlType.parse("numeric( 10 , 2 )")).isEqualTo(new SqlType("numeric", List.of(10, 2), 0));
        assertThat(SqlType.parse("text[]")).isEqualTo(new SqlType("text", List.of(), 1));
        assertThat(SqlType.parse("integer[][]").arrayDimensions()).isEqualTo(2);
        assertThat(SqlType.parse("double  precision")).isEqualTo(new SqlType("double precision", List.of(), 0));
    }

    @Test
    void keepsTimeZoneSuffixAfterThePrecision() {
        SqlType type = SqlType.parse("timestamp(3) with time zone");
        assertThat(type.name()).isEqualTo("timestamp with time zone");
        assertThat(type.modifiers()).containsExactly(3);
        assertThat(type.sql()).isEqualTo("timestamp(3) with time zone");
        assertThat(SqlType.parse("timestamp with time zone").sql()).isEqualTo("timestamp with time zone");
    }

    @Test
    void rendersModifiersAndArrays() {
        assertThat(SqlType.of("character varying", 255).sql()).isEqualTo("character varying(255)");
        assertThat(SqlType.parse("numeric(10,2)[]").sql()).isEqualTo("numeric(10,2)[]");
    }

    @Test
    void refusesAnythingThatIsNotAPlainType() {
        for (String hostile : List.of("text; DROP TABLE users", "text -- comment", "varchar(10) NOT NULL", "\"quoted\"", "",
                "int)", "text'", "varchar(abc)")) {
            assertThatThrownBy(() -> SqlType.parse(hostile))
                    .as(hostile)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a type");
        }
    }
}
