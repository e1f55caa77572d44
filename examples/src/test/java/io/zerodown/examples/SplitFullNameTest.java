package io.zerodown.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitFullNameTest {

    @Test
    void printsTheSevenSectionsInOrderAndWritesTheScripts(@TempDir Path dir) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            SplitFullName.main(new String[] {dir.toString()});
        } finally {
            System.setOut(original);
        }
        String markdown = out.toString(StandardCharsets.UTF_8);
        String[] sections = {"## 1. Risk assessment", "## 2. Strategy", "## 3. Up script", "## 4. Down script",
                "## 5. Execution plan", "## 6. Verification", "## 7. Application changes"};
        int previous = -1;
        for (String section : sections) {
            int at = markdown.indexOf(section);
            assertThat(at).as(section).isGreaterThan(previous);
            previous = at;
        }
        assertThat(Files.readString(dir.resolve("split_full_name.up.sql"))).contains("CREATE INDEX CONCURRENTLY");
        assertThat(dir.resolve("split_full_name.contract.sql")).exists();
        assertThat(dir.resolve("split_full_name.down.sql")).exists();
    }
}
