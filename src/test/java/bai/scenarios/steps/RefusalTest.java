package bai.scenarios.steps;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalTest {
    @Test
    void parameterPatternListsEveryPhrase() {
        assertThat(Refusal.PATTERN).isEqualTo(Arrays.stream(Refusal.values()).map(Refusal::phrase)
                .collect(Collectors.joining("|")));
    }
}
