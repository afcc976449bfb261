package bai.scenarios.emulator.sessions;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The manager's words for a session no agent has room for, and its way of printing sizes. */
class PlacementFailureTest {
    private static final BigInteger GIB = BigInteger.valueOf(1024L * 1024 * 1024);

    @Test
    void sizesArePrintedAsTheManagersBinarySize() {
        assertThat(PlacementFailure.binarySize(BigInteger.ONE)).isEqualTo("1 byte");
        assertThat(PlacementFailure.binarySize(BigInteger.valueOf(512))).isEqualTo("512 bytes");
        assertThat(PlacementFailure.binarySize(BigInteger.valueOf(1024))).isEqualTo("1 KiB");
        assertThat(PlacementFailure.binarySize(GIB)).isEqualTo("1 GiB");
        assertThat(PlacementFailure.binarySize(GIB.multiply(BigInteger.valueOf(3)).divide(BigInteger.TWO)))
                .isEqualTo("1.5 GiB");
        assertThat(PlacementFailure.binarySize(BigInteger.valueOf(1431306813L))).isEqualTo("1.33 GiB");
        assertThat(PlacementFailure.binarySize(GIB.multiply(BigInteger.valueOf(1024)))).isEqualTo("1 TiB");
    }

    @Test
    void theShortfallIsAgainstTheAgentShortOfTheLeastInRawAmounts() {
        Agent roomyCpu = new Agent("a1", BigDecimal.valueOf(4), GIB);
        Agent roomyMemory = new Agent("a2", BigDecimal.ONE, GIB.multiply(BigInteger.valueOf(8)));
        ComputeSession session = new ComputeSession("s", "AK", UUID.randomUUID(), "default", UUID.randomUUID(),
                "interactive", Images.find("python").orElseThrow(), 1, "single-node", BigDecimal.valueOf(3),
                GIB.multiply(BigInteger.TWO), null, null, null, List.of(), Map.of());
        // Short of 1 GiB (1073741824) on the first, of 2 CPUs on the second: the second is the best fit.
        assertThat(PlacementFailure.message(session, List.of(roomyCpu, roomyMemory))).isEqualTo(
                "1 requirement(s) could not be placed:\n"
                        + "- requirement #0 (containers=1, arch=x86_64, slots=cpu=3 mem=2 GiB): no agents passed the"
                        + " 'resource' filter\n"
                        + "  - cpu: missing=2");
        Agent small = new Agent("a3", BigDecimal.ONE, GIB);
        assertThat(PlacementFailure.message(session, List.of(small))).endsWith(
                "  - cpu: missing=2\n  - mem: missing=1 GiB");
    }
}
