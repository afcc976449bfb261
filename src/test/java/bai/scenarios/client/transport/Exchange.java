package bai.scenarios.client.transport;

import java.util.Map;

/** One request and its response, already redacted, for the report. */
public record Exchange(String method, String uri, Map<String, String> requestHeaders, String requestBody,
                       int status, Map<String, String> responseHeaders, String responseBody, long millis) {

    /** Plain text an engineer reads in the report, like an HTTP transcript. */
    public String render() {
        StringBuilder text = new StringBuilder();
        text.append(method).append(' ').append(uri).append('\n');
        requestHeaders.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        if (!requestBody.isEmpty()) {
            text.append('\n').append(requestBody).append('\n');
        }
        text.append("\n→ ").append(status).append(" (").append(millis).append(" ms)\n");
        responseHeaders.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        if (!responseBody.isEmpty()) {
            text.append('\n').append(responseBody).append('\n');
        }
        return text.toString();
    }
}
