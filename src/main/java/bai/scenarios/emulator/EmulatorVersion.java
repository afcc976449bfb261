package bai.scenarios.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Version strings the emulator reports. The manager version is PEP 440 with a local label,
 * e.g. {@code 26.8.0rc1+emulator.0.1.0}: the release it imitates, then its own version.
 */
public final class EmulatorVersion {
    private static final Properties PROPS = load();

    private EmulatorVersion() {
    }

    public static String emulatedManager() {
        return PROPS.getProperty("manager.version");
    }

    public static String emulator() {
        return PROPS.getProperty("emulator.version").replace("-SNAPSHOT", "");
    }

    /** What {@code GET /} and {@code GET /health} report as the manager version. */
    public static String reported() {
        return emulatedManager() + "+emulator." + emulator();
    }

    private static Properties load() {
        Properties props = new Properties();
        try (InputStream in = EmulatorVersion.class.getResourceAsStream("/bai/scenarios/emulator/emulator.properties")) {
            if (in == null) {
                throw new IllegalStateException("emulator.properties is missing; rebuild with Maven");
            }
            props.load(in);
            return props;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
