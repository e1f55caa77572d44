package io.zerodown.sqlite;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.MigrationValidationException;
import io.zerodown.model.context.Target;
import io.zerodown.spi.Dialects;
import org.junit.jupiter.api.Test;

class SqliteDialectTest {

    @Test
    void aTargetForThisDialectIsRefusedWithAClearReason() {
        for (String name : java.util.List.of("sqlite")) {
            assertThatThrownBy(() -> Dialects.forTarget(Target.of(name, "8.0")))
                    .isInstanceOf(MigrationValidationException.class)
                    .hasMessageContaining("not implemented yet")
                    .hasMessageContaining("PostgreSQL 12 to 18");
        }
    }
}
