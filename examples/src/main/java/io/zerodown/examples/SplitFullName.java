package io.zerodown.examples;

import io.zerodown.Migration;
import io.zerodown.Zerodown;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

/**
 * The reference case: split {@code users.full_name} into {@code first_name} and {@code last_name}
 * on PostgreSQL 15, on 8 million rows at 200 writes per second, with no downtime, reversible for
 * 30 days, and index {@code last_name} for search.
 *
 * <p>Prints the whole package as Markdown. With a directory as argument, also writes the scripts
 * there ({@code split_full_name.up.sql}, {@code .contract.sql}, {@code .down.sql}, {@code README.md}).
 */
public final class SplitFullName {

    private SplitFullName() {
    }

    public static void main(String[] args) throws IOException {
        // 1. The schema as it is today, as DDL.
        Schema schema = Zerodown.parseSchema(Target.postgres(15), """
                CREATE TABLE users (
                    id BIGSERIAL PRIMARY KEY,
                    email VARCHAR(255) UNIQUE NOT NULL,
                    full_name VARCHAR(255),
                    created_at TIMESTAMPTZ DEFAULT NOW()
                );
                """);

        // 2. The change: split at the first space (the rest goes to last_name), in committed
        //    batches of 10,000 rows, then index last_name for search.
        MigrationPlan plan = Migration.on("users")
                .splitColumn("full_name").atFirst(" ").into("first_name", "last_name").batched(10_000)
                .createIndex("last_name").where("last_name IS NOT NULL")
                .plan();

        // 3. Where and how it runs: size and traffic, downtime, rollback, who and why.
        MigrationContext context = MigrationContext.builder()
                .name("split_full_name")
                .author("ana@example.com")
                .reason("Search by last name; personalisation by first name")
                .date(LocalDate.of(2026, 11, 24))
                .target(Target.postgres(15))
                .profile("users", TableProfile.of(8_000_000, 200, ReadPattern.MOSTLY_READS))
                .downtime(DowntimeTolerance.none())
                .rollback(RollbackRequirement.reversibleFor(Duration.ofDays(30)))
                .build();

        // 4. The package: risk, strategy, up, down, execution plan, verification, application changes.
        MigrationPackage pkg = Zerodown.compile(plan, schema, context);
        System.out.println(pkg.toMarkdown());

        if (args.length > 0) {
            Path dir = Files.createDirectories(Path.of(args[0]));
            for (Map.Entry<String, String> file : pkg.files().entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue());
            }
            System.err.println("wrote " + pkg.files().keySet() + " to " + dir.toAbsolutePath());
        }
    }
}
