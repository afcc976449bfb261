package bai.scenarios.selection;

import bai.scenarios.hooks.DurableReports;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Says on the console, before anything runs, how many scenarios the tag expression selected
 * ({@link TagSelectionFilter} has decided by then). Registered in {@code META-INF/services}, so it
 * speaks even when the expression selected nothing and Cucumber never starts; in a run without
 * Cucumber scenarios (the project's own tests) it says nothing.
 *
 * <p>When the expression selected nothing, the JUnit suite fails ("did not discover any tests") and
 * Cucumber writes no report, so the previous run's reports are removed: none may pass for this run's.
 */
public final class TagSelectionListener implements TestExecutionListener {
    private final TagSelection selection;
    private final PrintStream out;
    private final Runnable discardPreviousReports;

    public TagSelectionListener() {
        this(TagSelection.ofThisRun(), System.out, () -> DurableReports.discardPreviousRun(Path.of("reports")));
    }

    TagSelectionListener(TagSelection selection, PrintStream out, Runnable discardPreviousReports) {
        this.selection = selection;
        this.out = out;
        this.discardPreviousReports = discardPreviousReports;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        selection.describe().ifPresent(line -> out.println("bai-scenarios " + line));
        if (selection.expression().isPresent() && selection.selected() == 0) {
            discardPreviousReports.run();
        }
    }
}
