package bai.scenarios.emulator.sessions;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulator's image catalogue: python images with the real naming scheme and the
 * resource-limit labels the manager enforces at creation (minimum cpu and memory).
 */
public final class Images {
    /** One installed image. */
    public record Image(String registry, String namespace, String name, String tag, String architecture,
                        List<String> aliases, BigInteger minCpu, BigInteger minMemBytes) {
        public String reference() {
            return registry + "/" + namespace + "/" + name + ":" + tag;
        }

        public Map<String, String> labels() {
            return Map.of("ai.backend.kernelspec", "1", "ai.backend.features", "query batch uid-match",
                    "ai.backend.resource.min.cpu", minCpu.toString(),
                    "ai.backend.resource.min.mem", minMemBytes.toString());
        }
    }

    private static final BigInteger MIB = BigInteger.valueOf(1024 * 1024);
    public static final List<Image> ALL = List.of(
            new Image("cr.backend.ai", "stable", "python", "3.9-ubuntu20.04", "x86_64", List.of("python"),
                    BigInteger.ONE, MIB.multiply(BigInteger.valueOf(256))),
            new Image("cr.backend.ai", "multiarch", "python", "3.10-ubuntu20.04", "x86_64", List.of("python3.10"),
                    BigInteger.ONE, MIB.multiply(BigInteger.valueOf(512))));

    private Images() {
    }

    /** Finds an image by full reference or alias. */
    public static Optional<Image> find(String referenceOrAlias) {
        return ALL.stream().filter(i -> i.reference().equals(referenceOrAlias) || i.aliases().contains(referenceOrAlias))
                .findFirst();
    }
}
