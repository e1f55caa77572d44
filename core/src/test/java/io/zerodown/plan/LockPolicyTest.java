package io.zerodown.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.model.context.LockPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockPolicyTest {

    @Test
    void worstCaseWaitAddsEveryTimeoutAndEveryCappedBackoff() {
        LockPolicy policy = new LockPolicy(Duration.ofSeconds(1), 4, Duration.ofMillis(200), Duration.ofMillis(500));
        // 4 waits of 1 s, and backoffs of min(500, 200*2)=400, min(500, 800)=500, min(500, 1600)=500 between them
        assertThat(policy.worstCaseWait()).isEqualTo(Duration.ofMillis(4_000 + 400 + 500 + 500));
    }
}
