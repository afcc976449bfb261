package bai.scenarios.timing;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The scenario threads this run was configured with: a system property (e.g. from
 * {@code -Dcucumber.execution.parallel.config.fixed.parallelism=8}) wins over
 * {@code junit-platform.properties}, as it does for the JUnit Platform itself.
 */
public record ParallelismSetting(boolean parallel, String strategy, Integer threads) {
    static final String ENABLED = "cucumber.execution.parallel.enabled";
    static final String STRATEGY = "cucumber.execution.parallel.config.strategy";
    static final String FIXED = "cucumber.execution.parallel.config.fixed.parallelism";
    static final String FACTOR = "cucumber.execution.parallel.config.dynamic.factor";

    public static ParallelismSetting ofThisRun() {
        Properties file = new Properties();
        try (InputStream in = ParallelismSetting.class.getResourceAsStream("/junit-platform.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException ignored) {
            // then only system properties count
        }
        boolean parallel = Boolean.parseBoolean(value(ENABLED, file, "false"));
        String strategy = value(STRATEGY, file, "dynamic");
        Integer threads = null;
        try {
            if (strategy.equals("fixed")) {
                threads = Integer.parseInt(value(FIXED, file, "").trim());
            } else if (strategy.equals("dynamic")) {
                threads = (int) Math.max(1, Math.round(Double.parseDouble(value(FACTOR, file, "1").trim())
                        * Runtime.getRuntime().availableProcessors()));
            }
        } catch (NumberFormatException unreadable) {
            threads = null;
        }
        return new ParallelismSetting(parallel, strategy, parallel ? threads : Integer.valueOf(1));
    }

    private static String value(String key, Properties file, String otherwise) {
        String fromSystem = System.getProperty(key);
        return fromSystem != null ? fromSystem : file.getProperty(key, otherwise);
    }
}
