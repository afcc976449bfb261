package bai.scenarios.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class DestructiveGuardTest {
    private static final Optional<URI> REMOTE = Optional.of(URI.create("http://192.0.2.10:8081"));
    private static final Properties NONE = new Properties();

    @Test
    void destructiveScenariosAgainstAManagerElsewhereAreRefusedInOneLine() {
        Optional<String> refusal = DestructiveGuard.refusal(REMOTE, 2, NONE, Map.of());
        assertThat(refusal).hasValueSatisfying(line -> assertThat(line)
                .startsWith("Refusing to run 2 @destructive scenarios against http://192.0.2.10:8081")
                .contains("bai.allow-destructive=true", "BAI_ALLOW_DESTRUCTIVE", "not @destructive")
                .doesNotContain("\n"));
    }

    @Test
    void theEmulatorALoopbackManagerOrAnExplicitAllowanceLetThemRun() {
        assertThat(DestructiveGuard.refusal(Optional.empty(), 2, NONE, Map.of())).isEmpty();
        assertThat(DestructiveGuard.refusal(Optional.of(URI.create("http://127.0.0.1:8081")), 2, NONE, Map.of())).isEmpty();
        assertThat(DestructiveGuard.refusal(Optional.of(URI.create("http://localhost:8081")), 2, NONE, Map.of())).isEmpty();
        assertThat(DestructiveGuard.refusal(Optional.of(URI.create("http://[::1]:8081")), 2, NONE, Map.of())).isEmpty();
        Properties allow = new Properties();
        allow.setProperty("bai.allow-destructive", "true");
        assertThat(DestructiveGuard.refusal(REMOTE, 2, allow, Map.of())).isEmpty();
        assertThat(DestructiveGuard.refusal(REMOTE, 2, NONE, Map.of("BAI_ALLOW_DESTRUCTIVE", "true"))).isEmpty();
    }

    @Test
    void aRunWithoutDestructiveScenariosIsNotRefused() {
        assertThat(DestructiveGuard.refusal(REMOTE, 0, NONE, Map.of())).isEmpty();
    }

    @Test
    void anythingButTrueIsNoAllowance() {
        Properties maybe = new Properties();
        maybe.setProperty("bai.allow-destructive", "yes");
        assertThat(DestructiveGuard.refusal(REMOTE, 1, maybe, Map.of())).isPresent();
    }
}
