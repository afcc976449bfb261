package bai.scenarios.reports;

import io.cucumber.messages.types.Attachment;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.Exception;
import io.cucumber.messages.types.TestStep;
import io.cucumber.messages.types.TestStepFinished;
import io.cucumber.messages.types.TestStepResult;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * How the HTML report presents the messages; only the HTML report: the JSON, XML and ndjson
 * reports keep the messages as they are.
 * <ul>
 *   <li><b>A failure's message once.</b> The report prints an error's type and message and then its
 *   stack trace, and a Java stack trace starts with that same type and message; so the stack trace
 *   shown loses its first line(s) when they repeat the message, and keeps the "at ..." lines that
 *   name the step and the feature line.</li>
 *   <li><b>Text at a step is shown, not folded away.</b> The report folds a text/plain attachment
 *   into a closed "details" box but shows log text ({@code text/x.cucumber.log+plain}) as it is;
 *   a text/plain attachment at a Gherkin step (the HTTP exchanges of a failed step, advice for an
 *   undefined step) is shown as log text under a bold title (its name). Log text is put into the
 *   page as HTML (after turning ANSI colour codes into HTML), so the text is HTML-escaped first
 *   and the title is made bold with an ANSI code.</li>
 * </ul>
 */
final class HtmlView {
    static final String LOG = "text/x.cucumber.log+plain";
    private static final String BOLD = "\u001b[1m";
    private static final String PLAIN = "\u001b[0m";

    /** The test steps that are Gherkin steps (not hooks), from the test cases seen so far. */
    private final Set<String> gherkinSteps = new HashSet<>();

    Envelope present(Envelope message) {
        message.getTestCase().ifPresent(testCase -> testCase.getTestSteps().stream()
                .filter(step -> step.getPickleStepId().isPresent())
                .map(TestStep::getId)
                .forEach(gherkinSteps::add));
        if (message.getTestStepFinished().isPresent()) {
            TestStepFinished finished = message.getTestStepFinished().get();
            TestStepFinished shown = withoutRepeatedMessage(finished);
            return shown == finished ? message : Envelope.of(shown);
        }
        if (message.getAttachment().isPresent()) {
            Attachment attachment = message.getAttachment().get();
            Attachment shown = unfolded(attachment);
            return shown == attachment ? message : Envelope.of(shown);
        }
        return message;
    }

    private static TestStepFinished withoutRepeatedMessage(TestStepFinished finished) {
        TestStepResult result = finished.getTestStepResult();
        Optional<Exception> exception = result.getException();
        if (exception.isEmpty() || exception.get().getStackTrace().isEmpty()) {
            return finished;
        }
        Exception error = exception.get();
        String stackTrace = error.getStackTrace().get();
        String header = error.getType() + error.getMessage().map(m -> ": " + m).orElse("");
        if (!stackTrace.startsWith(header)) {
            return finished; // an exception with its own toString(): show it as it is
        }
        String frames = stackTrace.substring(header.length()).replaceFirst("^\\R", "").stripTrailing();
        Exception shown = new Exception(error.getType(), error.getMessage().orElse(null), frames.isBlank() ? null : frames);
        return new TestStepFinished(finished.getTestCaseStartedId(), finished.getTestStepId(),
                new TestStepResult(result.getDuration(), result.getMessage().orElse(null), result.getStatus(), shown),
                finished.getTimestamp());
    }

    private Attachment unfolded(Attachment attachment) {
        boolean atGherkinStep = attachment.getTestStepId().filter(gherkinSteps::contains).isPresent();
        if (!atGherkinStep || !Attachments.isPlainText(attachment)) {
            return attachment;
        }
        String title = attachment.getFileName().map(name -> BOLD + escape(name) + PLAIN + "\n").orElse("");
        return Attachments.withText(attachment, LOG, title + escape(Attachments.text(attachment)));
    }

    /** HTML-escaped, and without escape characters of its own (the report would read them as colours). */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u001b", "");
    }
}
