package bai.scenarios.reports;

import io.cucumber.messages.types.Attachment;
import io.cucumber.messages.types.AttachmentContentEncoding;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reading and copying Cucumber attachment messages (which are immutable). */
final class Attachments {
    private Attachments() {
    }

    /** The attachment's text, whether Cucumber sent it as text (scenario.log) or base64 (scenario.attach). */
    static String text(Attachment attachment) {
        return attachment.getContentEncoding() == AttachmentContentEncoding.BASE64
                ? new String(Base64.getDecoder().decode(attachment.getBody()), StandardCharsets.UTF_8)
                : attachment.getBody();
    }

    static boolean isPlainText(Attachment attachment) {
        return attachment.getMediaType().startsWith("text/plain");
    }

    /** The same attachment bound to another test step of its scenario. */
    static Attachment movedTo(Attachment attachment, String testStepId) {
        return new Attachment(attachment.getBody(), attachment.getContentEncoding(), attachment.getFileName().orElse(null),
                attachment.getMediaType(), attachment.getSource().orElse(null), attachment.getTestCaseStartedId().orElse(null),
                testStepId, attachment.getUrl().orElse(null), attachment.getTestRunStartedId().orElse(null),
                attachment.getTestRunHookStartedId().orElse(null), attachment.getTimestamp().orElse(null));
    }

    /** The same attachment with another text body and media type (and no file name). */
    static Attachment withText(Attachment attachment, String mediaType, String text) {
        return new Attachment(text, AttachmentContentEncoding.IDENTITY, null, mediaType, attachment.getSource().orElse(null),
                attachment.getTestCaseStartedId().orElse(null), attachment.getTestStepId().orElse(null),
                attachment.getUrl().orElse(null), attachment.getTestRunStartedId().orElse(null),
                attachment.getTestRunHookStartedId().orElse(null), attachment.getTimestamp().orElse(null));
    }
}
