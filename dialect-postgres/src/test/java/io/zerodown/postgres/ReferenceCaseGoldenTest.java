package io.zerodown.postgres;

import io.zerodown.plan.Check;
import io.zerodown.plan.MigrationPackage;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The reference case's up, contract, down and verification SQL, and the whole document, against golden files. */
class ReferenceCaseGoldenTest {

    private final MigrationPackage pkg = ReferenceCase.compile();

    @Test
    void upScript() {
        GoldenFiles.assertMatches("split_column/reference.up.sql", pkg.up().sql());
    }

    @Test
    void contractScript() {
        GoldenFiles.assertMatches("split_column/reference.contract.sql", pkg.contract().sql());
    }

    @Test
    void downScript() {
        GoldenFiles.assertMatches("split_column/reference.down.sql", pkg.down().script().sql());
    }

    @Test
    void verificationQueries() {
        GoldenFiles.assertMatches("split_column/reference.verify.sql", pkg.verification().stream()
                .map(ReferenceCaseGoldenTest::render).collect(Collectors.joining("\n")));
    }

    @Test
    void wholeDocument() {
        GoldenFiles.assertMatches("split_column/reference.md", pkg.toMarkdown());
    }

    private static String render(Check check) {
        return "-- " + check.description() + "\n-- expect: " + check.expected().describe() + "\n" + check.sql() + ";\n";
    }
}
