package bai.scenarios.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Production guard: scenarios tagged {@code @destructive} change shared state of the target beyond
 * their own fixtures (a manager freeze, say). They run only against the embedded emulator, a
 * manager on a loopback address, or when the run says {@code bai.allow-destructive=true}; otherwise
 * the run stops with one line before any request is sent.
 */
public final class DestructiveGuard {
    public static final String ALLOW = "bai.allow-destructive";
    public static final String TAG = "@destructive";

    private DestructiveGuard() {
    }

    /** The refusal to print, or empty when the run may go on. */
    public static Optional<String> refusal(Optional<URI> endpoint, int destructiveScenarios, Properties props,
                                           Map<String, String> env) {
        if (destructiveScenarios == 0 || endpoint.isEmpty() || isLoopback(endpoint.get()) || allowed(props, env)) {
            return Optional.empty();
        }
        return Optional.of("Refusing to run " + destructiveScenarios + " " + TAG + " scenario"
                + (destructiveScenarios == 1 ? "" : "s") + " against " + endpoint.get() + ": they change shared state"
                + " of the target beyond their own fixtures. Leave them out with -Dcucumber.filter.tags=\"not " + TAG
                + "\", run them against the emulator or a loopback manager, or set " + ALLOW + "=true ("
                + SuiteConfig.envName(ALLOW) + ") if this manager is yours to change.");
    }

    static boolean allowed(Properties props, Map<String, String> env) {
        String value = props.getProperty(ALLOW, env.get(SuiteConfig.envName(ALLOW)));
        return value != null && value.strip().toLowerCase(Locale.ROOT).equals("true");
    }

    static boolean isLoopback(URI endpoint) {
        String host = endpoint.getHost();
        if (host == null) {
            return false;
        }
        try {
            // Resolving a name costs a lookup; "localhost" and literal addresses answer at once.
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException unknown) {
            return false;
        }
    }
}
