package io.zerodown.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.Migration;
import io.zerodown.Zerodown;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.Target;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The merge as the sync trigger computes it on a real server, for generated values, against a
 * plain Java statement of the documented semantics: each part trimmed of spaces, NULL, empty and
 * blank parts left out, the rest joined with the separator, NULL when nothing is left; and, for
 * two sources, writes of the merged column split back at the first separator.
 */
class MergeSemanticsPropertyTest {

    private static TestDatabase db;
    private static Connection connection;
    private static final String[] SEPARATORS = {" ", ",", ", ", "--", "aa", ""};

    @BeforeContainer
    static void installTriggers() throws Exception {
        db = PostgresServers.reference().createDatabase();
        connection = db.connect();
        for (int i = 0; i < SEPARATORS.length; i++) {
            for (int sources : new int[] {2, 3}) {
                String table = "t" + i + "_" + sources;
                String ddl = "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, a text, b text, c text)";
                PgTestSupport.execute(connection, ddl);
                String[] columns = sources == 2 ? new String[] {"a", "b"} : new String[] {"a", "b", "c"};
                MigrationPackage pkg = Zerodown.compile(Migration.on(table).mergeColumns(columns).with(SEPARATORS[i]).into("m").plan(),
                        ddl + ";", MigrationContext.builder().name("semantics").target(Target.postgres(15)).build());
                new StepRunner(connection).run(pkg.up().steps().subList(0, 1));
            }
        }
    }

    @AfterContainer
    static void dropDatabase() throws Exception {
        connection.close();
        db.close();
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> words = Arbitraries.strings().withChars("ab ,-éZ\t").ofMaxLength(12);
        Arbitrary<String> unicode = Arbitraries.strings().all().excludeChars('\0').ofMaxLength(8)
                .filter(s -> s.codePoints().noneMatch(cp -> Character.getType(cp) == Character.SURROGATE));
        return Arbitraries.oneOf(words, words, unicode, Arbitraries.of("", " ", "Cher", "  John   Smith  ", "a, b", "aaa"))
                .injectNull(0.15);
    }

    @Provide
    Arbitrary<Integer> separatorIndex() {
        return Arbitraries.integers().between(0, SEPARATORS.length - 1);
    }

    @Property(tries = 60)
    void oldCodeWritesMergeAsDocumented(@ForAll("values") String a, @ForAll("values") String b, @ForAll("values") String c,
                                        @ForAll("separatorIndex") int sep, @ForAll boolean three) throws Exception {
        String table = "t" + sep + "_" + (three ? 3 : 2);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (a, b, c) VALUES (?, ?, ?) RETURNING m")) {
            insert.setString(1, a);
            insert.setString(2, b);
            insert.setString(3, c);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                List<String> parts = three ? Arrays.asList(a, b, c) : Arrays.asList(a, b);
                assertThat(rs.getString(1)).as("merge of %s with '%s'", parts, SEPARATORS[sep]).isEqualTo(merged(parts, SEPARATORS[sep]));
            }
        }
    }

    @Property(tries = 40)
    void newCodeWritesSplitBackIntoTwoSources(@ForAll("values") String merged, @ForAll("separatorIndex") int sep) throws Exception {
        String table = "t" + sep + "_2";
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (m) VALUES (?) RETURNING a, b, m")) {
            insert.setString(1, merged);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                List<String> expected = SEPARATORS[sep].isEmpty()
                        ? Arrays.asList(null, null)   // one-way: nothing is split back
                        : SplitSemanticsPropertyTest.expected(merged, SEPARATORS[sep], false);
                assertThat(Arrays.asList(rs.getString(1), rs.getString(2))).as("split of [%s] at '%s'", merged, SEPARATORS[sep])
                        .isEqualTo(expected);
                assertThat(rs.getString(3)).as("the merged value is kept as written").isEqualTo(merged);
            }
        }
    }

    /** The documented merge, stated plainly. */
    static String merged(List<String> parts, String separator) {
        List<String> kept = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !trimSpaces(part).isEmpty()) {
                kept.add(trimSpaces(part));
            }
        }
        return kept.isEmpty() ? null : String.join(separator, kept);
    }

    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }
}
