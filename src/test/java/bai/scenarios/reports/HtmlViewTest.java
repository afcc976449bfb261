package bai.scenarios.reports;

import io.cucumber.messages.Convertor;
import io.cucumber.messages.types.Attachment;
import io.cucumber.messages.types.Envelope;
import io.cucumber.messages.types.Exception;
import io.cucumber.messages.types.TestStepFinished;
import io.cucumber.messages.types.TestStepResult;
import io.cucumber.messages.types.TestStepResultStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlViewTest {
    private final MessageStream stream = new MessageStream("""
            Feature: Sample
              Scenario: Roles
                Given Alice signs in
            """, List.of("{actor} signs in"));
    private final HtmlView view = new HtmlView();

    @BeforeEach
    void prelude() {
        stream.prelude.forEach(view::present);
    }

    @Test
    void aFailuresMessageIsShownOnceAndItsStackFramesStay() {
        String message = "[global role] \nexpected: \"admin\"\n but was: \"user\"";
        Exception error = new Exception("org.opentest4j.AssertionFailedError", message,
                "org.opentest4j.AssertionFailedError: " + message + "\n\tat bai.scenarios.steps.LoginSteps.roles(LoginSteps.java:76)\n"
                        + "\tat ✽.she is a \"admin\" globally(file:///features/auth/login.feature:7)\n");

        Exception shown = view.present(failure(error)).getTestStepFinished().orElseThrow()
                .getTestStepResult().getException().orElseThrow();

        assertThat(shown.getType()).isEqualTo("org.opentest4j.AssertionFailedError");
        assertThat(shown.getMessage()).hasValue(message);
        assertThat(shown.getStackTrace()).hasValue("\tat bai.scenarios.steps.LoginSteps.roles(LoginSteps.java:76)\n"
                + "\tat ✽.she is a \"admin\" globally(file:///features/auth/login.feature:7)");
    }

    @Test
    void aFailureWithNothingButItsMessageShowsNoStackTrace() {
        Exception error = new Exception("java.lang.AssertionError", "expected 200", "java.lang.AssertionError: expected 200\n");

        Exception shown = view.present(failure(error)).getTestStepFinished().orElseThrow()
                .getTestStepResult().getException().orElseThrow();

        assertThat(shown.getMessage()).hasValue("expected 200");
        assertThat(shown.getStackTrace()).isEmpty();
    }

    @Test
    void aStackTraceThatDoesNotRepeatTheMessageIsLeftAlone() {
        Exception error = new Exception("my.Odd", "message", "Odd failure, described its own way\n\tat x.y(Z.java:1)");

        Envelope shown = view.present(failure(error));

        assertThat(shown.getTestStepFinished().orElseThrow().getTestStepResult().getException()).hasValue(error);
    }

    @Test
    void textAtAGherkinStepIsShownUnfoldedUnderItsTitleAndEscaped() {
        Envelope exchanges = stream.attachment("Roles", "Alice signs in", "text/plain", "HTTP exchanges (1, secrets redacted)",
                "POST /admin/gql\n\n<html>&\u001b[31m</html>");

        Attachment shown = view.present(exchanges).getAttachment().orElseThrow();

        assertThat(shown.getMediaType()).isEqualTo(HtmlView.LOG);
        assertThat(shown.getBody()).isEqualTo("\u001b[1mHTTP exchanges (1, secrets redacted)\u001b[0m\n"
                + "POST /admin/gql\n\n&lt;html&gt;&amp;[31m&lt;/html&gt;");
        assertThat(shown.getTestStepId()).isEqualTo(exchanges.getAttachment().orElseThrow().getTestStepId());
    }

    @Test
    void otherAttachmentsAreLeftAlone() {
        List<Envelope> others = List.of(
                stream.attachment("Roles", "before", "text/plain", "at a hook", "x"),
                stream.attachment("Roles", "Alice signs in", "application/json", "json", "{}"),
                stream.attachment("Roles", "Alice signs in", "image/png", "picture", "png"));

        for (Envelope other : others) {
            assertThat(view.present(other)).isSameAs(other);
        }
    }

    private Envelope failure(Exception error) {
        return Envelope.of(new TestStepFinished("started-Roles", stream.step("Roles", "Alice signs in"),
                new TestStepResult(Convertor.toMessage(java.time.Duration.ofMillis(3)), error.getMessage().orElse(null),
                        TestStepResultStatus.FAILED, error), MessageStream.now()));
    }
}
