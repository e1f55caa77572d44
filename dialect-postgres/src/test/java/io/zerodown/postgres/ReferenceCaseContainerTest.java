package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.introspect;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The reference case on the official PostgreSQL images, every major from 12 to 18, where Docker is
 * available (skipped otherwise: the embedded servers cover 12, 15 and 18).
 */
@Testcontainers(disabledWithoutDocker = true)
class ReferenceCaseContainerTest {

    @ParameterizedTest(name = "postgres:{0}")
    @ValueSource(ints = {12, 13, 14, 15, 16, 17, 18})
    void upVerifiesAndDownRestoresOnTheOfficialImage(int major) throws Exception {
        MigrationPackage pkg = ReferenceCase.compile(major);
        try (PostgreSQLContainer container = new PostgreSQLContainer("postgres:" + major)) {
            container.start();
            try (Connection c = DriverManager.getConnection(container.getJdbcUrl(), container.getUsername(), container.getPassword())) {
                ReferenceCaseOnServerTest.createUsers(c);
                Schema before = introspect(c);
                new StepRunner(c).run(pkg.up().steps());
                assertThat(CheckRunner.run(c, pkg.verification())).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
            }
        }
    }
}
