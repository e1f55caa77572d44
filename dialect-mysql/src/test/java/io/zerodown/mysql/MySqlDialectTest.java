package io.zerodown.mysql;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.MigrationValidationException;
import io.zerodown.model.context.Target;
import io.zerodown.spi.Dialects;
import org.junit.jupiter.api.Test;

class MySqlDialectTest {

    @Test
    void aTargetForThisDialectIsRefusedWithAClearReason() {
        for (String name : java.util.List.of("mysql", "mariadb")) {
            assertThatThrownBy(() -> Dialects.forTarget(Target.of(name, "8.0")))
                    .isInstanceOf(MigrationValidationException.class)
                    .hasMessageContaining("not implemented yet")
                    .hasMessageContaining("PostgreSQL 12 to 18");
        }
    }
}
