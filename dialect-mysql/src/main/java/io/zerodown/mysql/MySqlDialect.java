package io.zerodown.mysql;

import io.zerodown.spi.UnimplementedDialect;
import java.util.Set;

/** MySQL and MariaDB: registered, not implemented yet (every target is refused with that reason). */
public final class MySqlDialect extends UnimplementedDialect {

    public MySqlDialect() {
        super("mysql", Set.of("mysql", "mariadb"), "MySQL and MariaDB");
    }
}
