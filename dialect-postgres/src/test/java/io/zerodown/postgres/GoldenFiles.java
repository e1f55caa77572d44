package io.zerodown.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares generated text with a file under {@code src/test/resources/golden/postgres/}, so that
 * any change of output shows in review. Run with {@code -Dzerodown.golden.update=true} to write
 * the files anew, then read the diff before committing.
 */
final class GoldenFiles {

    private static final Path ROOT = Path.of("src/test/resources/golden/postgres");

    private GoldenFiles() {
    }

    static void assertMatches(String relativePath, String actual) {
        Path file = ROOT.resolve(relativePath);
        try {
            if (Boolean.getBoolean("zerodown.golden.update") || !Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                if (!Boolean.getBoolean("zerodown.golden.update")) {
                    throw new AssertionError("golden file " + file + " did not exist; it has been written: review and commit it");
                }
                return;
            }
            assertThat(actual).as("output differs from golden file %s (update with -Dzerodown.golden.update=true)", file)
                    .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
