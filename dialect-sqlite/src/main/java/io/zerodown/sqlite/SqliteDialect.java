package io.zerodown.sqlite;

import io.zerodown.spi.UnimplementedDialect;
import java.util.Set;

/** SQLite: registered, not implemented yet (every target is refused with that reason). */
public final class SqliteDialect extends UnimplementedDialect {

    public SqliteDialect() {
        super("sqlite", Set.of("sqlite"), "SQLite");
    }
}
