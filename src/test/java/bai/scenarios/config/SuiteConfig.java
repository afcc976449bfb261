package bai.scenarios.config;

import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.Transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The suite's settings, each read from a system property ({@code -Dbai.endpoint=...}) or else
 * its environment variable ({@code BAI_ENDPOINT}). No endpoint means: run against the embedded
 * emulator. Invalid values fail with a {@link PreflightFailure} naming the setting.
 */
public record SuiteConfig(Optional<URI> endpoint, Optional<Credentials> credentials,
                          Optional<OpenApiSource> openApiContract, Optional<Path> graphQlContract, Duration httpTimeout, KeepFixtures keepFixtures,
                          Transport.Kind transport) {

    /** Whether a scenario's fixtures survive it: never (default), or when the scenario failed. */
    public enum KeepFixtures { NEVER, ON_FAILURE }


    public static final String ENDPOINT = "bai.endpoint";
    public static final String ACCESS_KEY = "bai.access-key";
    public static final String SECRET_KEY = "bai.secret-key";
    public static final String CONTRACT_OPENAPI = "bai.contract.openapi";
    public static final String CONTRACT_GRAPHQL = "bai.contract.graphql";
    public static final String HTTP_TIMEOUT = "bai.http-timeout-seconds";
    public static final String KEEP_FIXTURES = "bai.keep-fixtures";
    public static final String TRANSPORT = "bai.client.transport";

    public static SuiteConfig fromEnvironment() {
        return from(System.getProperties(), System.getenv());
    }

    /** Reads settings from the given property and environment maps (tests pass their own). */
    public static SuiteConfig from(Properties props, Map<String, String> env) {
        Optional<String> endpoint = setting(props, env, ENDPOINT);
        Optional<String> accessKey = setting(props, env, ACCESS_KEY);
        Optional<String> secretKey = setting(props, env, SECRET_KEY);
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new PreflightFailure("Preflight failed: " + (accessKey.isPresent() ? SECRET_KEY : ACCESS_KEY)
                    + " is missing; set both " + ACCESS_KEY + " and " + SECRET_KEY + " (or " + envName(ACCESS_KEY)
                    + " and " + envName(SECRET_KEY) + ").");
        }
        if (endpoint.isPresent() && accessKey.isEmpty()) {
            throw new PreflightFailure("Preflight failed: " + ENDPOINT + " is " + endpoint.get() + " but no keypair is set;"
                    + " set " + ACCESS_KEY + " and " + SECRET_KEY + " to a keypair of that manager.");
        }
        Optional<Credentials> credentials = accessKey.map(ak -> new Credentials(ak, secretKey.orElseThrow()));
        return new SuiteConfig(endpoint.map(SuiteConfig::parseEndpoint), credentials,
                setting(props, env, CONTRACT_OPENAPI).map(SuiteConfig::openApiSource),
                setting(props, env, CONTRACT_GRAPHQL).map(p -> existingFile(CONTRACT_GRAPHQL, p)),
                Duration.ofSeconds(setting(props, env, HTTP_TIMEOUT).map(SuiteConfig::seconds).orElse(30L)),
                setting(props, env, KEEP_FIXTURES).map(SuiteConfig::keepFixtures).orElse(KeepFixtures.NEVER),
                setting(props, env, TRANSPORT).map(SuiteConfig::transport).orElse(Transport.Kind.JDK));
    }

    /** The environment variable that backs a property: {@code bai.access-key} → {@code BAI_ACCESS_KEY}. */
    public static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Optional<String> setting(Properties props, Map<String, String> env, String property) {
        String value = props.getProperty(property);
        if (value == null || value.isBlank()) {
            value = env.get(envName(property));
        }
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** An http(s) base URL; a trailing slash and a spelled-out default port are dropped. */
    static URI parseEndpoint(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new PreflightFailure("Preflight failed: " + ENDPOINT + " '" + text
                        + "' is not an http(s) URL; use e.g. http://127.0.0.1:8081");
            }
            int port = uri.getPort();
            if ((scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443)) {
                port = -1;
            }
            return new URI(scheme, null, uri.getHost(), port, uri.getRawPath(), null, null);
        } catch (URISyntaxException e) {
            throw new PreflightFailure("Preflight failed: " + ENDPOINT + " '" + text + "' is not a valid URL ("
                    + e.getReason() + ")");
        }
    }

    /** {@code target} (any case): the target's own document; anything else: a file that must exist. */
    static OpenApiSource openApiSource(String value) {
        if (value.equalsIgnoreCase(OpenApiSource.TARGET)) {
            return new OpenApiSource.Target();
        }
        return new OpenApiSource.File(existingFile(CONTRACT_OPENAPI, value));
    }

    private static Path existingFile(String property, String value) {
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new PreflightFailure("Preflight failed: " + property + " names " + path
                    + ", which does not exist; point it at the manager's published schema file"
                    + (property.equals(CONTRACT_OPENAPI) ? " (or set it to 'target' to read the target's own)." : "."));
        }
        return path;
    }

    private static KeepFixtures keepFixtures(String value) {
        return switch (value) {
            case "never" -> KeepFixtures.NEVER;
            case "on-failure" -> KeepFixtures.ON_FAILURE;
            default -> throw new PreflightFailure("Preflight failed: " + KEEP_FIXTURES + " must be 'never' or"
                    + " 'on-failure', not '" + value + "'");
        };
    }

    private static Transport.Kind transport(String value) {
        Transport.Kind kind = Transport.Kind.named(value);
        if (kind == null) {
            throw new PreflightFailure("Preflight failed: " + TRANSPORT + " must be 'jdk' or 'rest-assured', not '"
                    + value + "'");
        }
        return kind;
    }

    private static long seconds(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds > 0) {
                return seconds;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the readable failure below
        }
        throw new PreflightFailure("Preflight failed: " + HTTP_TIMEOUT + " must be a positive number of seconds, not '"
                + value + "'");
    }
}
