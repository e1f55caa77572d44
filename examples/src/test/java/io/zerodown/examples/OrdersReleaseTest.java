package io.zerodown.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OrdersReleaseTest {

    @Test
    void theStepsRunPhaseByPhaseWhateverTheOrderWritten() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            OrdersRelease.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String markdown = out.toString(StandardCharsets.UTF_8);
        assertThat(markdown).contains("## 1. Risk assessment", "## 7. Application changes");
        // the status backfill runs before the NOT NULL that needs it, the id swap after its key index is built
        assertThat(markdown.indexOf("· 2.orders.backfill_status.backfill")).isPositive()
                .isLessThan(markdown.indexOf("· 3.orders.not_null_status.validate_check"));
        assertThat(markdown.indexOf("· 1.orders.change_type_id.key_index_orders_pkey"))
                .isLessThan(markdown.indexOf("· 1.orders.change_type_id.swap"));
        assertThat(markdown).contains("order_items.order_id (integer) keep their type");
    }
}
