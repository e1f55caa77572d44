package io.zerodown.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.Migration;
import io.zerodown.Zerodown;
import io.zerodown.model.operation.MigrationPlan;
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
 * The split as the sync trigger computes it on a real server, for generated values, against a
 * plain Java statement of the documented semantics: trim spaces, NULL/empty/blank give two NULLs,
 * no separator puts the whole value first, parts are trimmed and empty parts become NULL.
 */
class SplitSemanticsPropertyTest {

    private static TestDatabase db;
    private static Connection connection;
    private static final String[] SEPARATORS = {" ", ",", ", ", "--", "aa"};

    @BeforeContainer
    static void installTriggers() throws Exception {
        db = PostgresServers.reference().createDatabase();
        connection = db.connect();
        for (int i = 0; i < SEPARATORS.length; i++) {
            for (boolean last : new boolean[] {false, true}) {
                String table = "t" + i + (last ? "_last" : "_first");
                PgTestSupport.execute(connection, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, name text)");
                var split = Migration.on(table).splitColumn("name");
                MigrationPlan plan = (last ? split.atLast(SEPARATORS[i]) : split.atFirst(SEPARATORS[i])).into("a", "b").plan();
                MigrationPackage pkg = Zerodown.compile(plan, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, name text);",
                        io.zerodown.model.context.MigrationContext.builder().name("semantics")
                                .target(io.zerodown.model.context.Target.postgres(15)).build());
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
    Arbitrary<String> names() {
        Arbitrary<String> words = Arbitraries.strings().withChars("ab ,-éZ\t").ofMaxLength(12);
        Arbitrary<String> unicode = Arbitraries.strings().all().excludeChars('\0').ofMaxLength(8)
                .filter(s -> s.codePoints().noneMatch(cp -> Character.getType(cp) == Character.SURROGATE));
        return Arbitraries.oneOf(words, words, unicode, Arbitraries.of("", " ", "Cher", "  John   Smith  ", "a, b, c", "aaa"))
                .injectNull(0.05);
    }

    @Property(tries = 60)
    void oldCodeWritesSplitAsDocumented(@ForAll("names") String name, @ForAll("separatorIndex") int sep, @ForAll boolean last)
            throws Exception {
        String table = "t" + sep + (last ? "_last" : "_first");
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (name) VALUES (?) RETURNING a, b")) {
            insert.setString(1, name);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                assertThat(Arrays.asList(rs.getString(1), rs.getString(2)))
                        .as("split of [%s] at the %s '%s'", name, last ? "last" : "first", SEPARATORS[sep])
                        .isEqualTo(expected(name, SEPARATORS[sep], last));
            }
        }
    }

    @Provide
    Arbitrary<Integer> separatorIndex() {
        return Arbitraries.integers().between(0, SEPARATORS.length - 1);
    }

    @Property(tries = 40)
    void newCodeWritesJoinTheParts(@ForAll("names") String first, @ForAll("names") String second, @ForAll("separatorIndex") int sep)
            throws Exception {
        String table = "t" + sep + "_first";
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (a, b) VALUES (?, ?) RETURNING name")) {
            insert.setString(1, first);
            insert.setString(2, second);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                List<String> parts = new ArrayList<>();
                if (first != null) {
                    parts.add(first);
                }
                if (second != null) {
                    parts.add(second);
                }
                String joined = String.join(SEPARATORS[sep], parts);
                assertThat(rs.getString(1)).isEqualTo(joined.isEmpty() ? null : joined);
            }
        }
    }

    /** The documented semantics, stated plainly. */
    static List<String> expected(String value, String separator, boolean last) {
        if (value == null) {
            return Arrays.asList(null, null);
        }
        String v = trimSpaces(value);
        if (v.isEmpty()) {
            return Arrays.asList(null, null);
        }
        int at = last ? v.lastIndexOf(separator) : v.indexOf(separator);
        if (at < 0) {
            return Arrays.asList(v, null);
        }
        return Arrays.asList(emptyToNull(trimSpaces(v.substring(0, at))), emptyToNull(trimSpaces(v.substring(at + separator.length()))));
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

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
