package bai.scenarios;

import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectDirectories;
import org.junit.platform.suite.api.Suite;

/**
 * The one entry point of the acceptance scenarios: every feature under the top-level
 * {@code features/} folder, run by Failsafe in {@code mvn verify}. Settings (glue, plugins,
 * parallelism) live in {@code src/test/resources/junit-platform.properties}.
 */
@Suite
@IncludeEngines("cucumber")
@SelectDirectories("features")
public class RunCucumberIT {
}
