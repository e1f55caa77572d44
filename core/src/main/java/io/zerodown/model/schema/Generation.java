package io.zerodown.model.schema;

import io.zerodown.model.SqlExpression;
import java.util.Objects;

/** How the database fills a column by itself. */
public sealed interface Generation {

    /** {@code serial}/{@code bigserial}: a sequence owned by the column and a {@code nextval} default. */
    record Serial(String sequence) implements Generation {
        public Serial {
            Objects.requireNonNull(sequence, "sequence");
        }
    }

    /** {@code GENERATED ALWAYS|BY DEFAULT AS IDENTITY}. */
    record Identity(boolean always) implements Generation {
    }

    /** {@code GENERATED ALWAYS AS (expression) STORED}. */
    record Stored(SqlExpression expression) implements Generation {
        public Stored {
            Objects.requireNonNull(expression, "expression");
        }
    }
}
