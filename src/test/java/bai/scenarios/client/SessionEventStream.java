package bai.scenarios.client;

import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.HmacSigner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subscription to the manager's session event stream ({@code GET /events/session}, SSE),
 * signed like every other call. Streaming is outside REST Assured's reach, so it uses the JDK
 * client; events are queued by a reader thread until taken. Close it when done.
 */
public final class SessionEventStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One event: its name (e.g. {@code session_started}) and the session it concerns. */
    public record Event(String name, String sessionId, String reason) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final InputStream body;

    private SessionEventStream(InputStream body) {
        this.body = body;
        Thread reader = new Thread(this::read, "session-events");
        reader.setDaemon(true);
        reader.start();
    }

    /** Subscribes to the caller's session events; empty when the target offers no stream. */
    public static Optional<SessionEventStream> open(URI endpoint, Credentials credentials) {
        String path = "/events/session?sessionName=%2A";
        String date = OffsetDateTime.now(ZoneOffset.UTC).format(HmacSigner.DATE_FORMAT);
        String signature = HmacSigner.signature(credentials.secretKey(),
                new HmacSigner.Signable("GET", path, date, HmacSigner.host(endpoint), null));
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path))
                .header("Date", date)
                .header("X-BackendAI-Version", HmacSigner.API_VERSION)
                .header("Authorization", HmacSigner.authorization(credentials.accessKey(), signature))
                .GET().build();
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                return Optional.empty();
            }
            return Optional.of(new SessionEventStream(response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The next event, waiting at most {@code timeout}. */
    public Optional<Event> next(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:") && name != null) {
                    JsonNode data = JSON.readTree(line.substring(5).trim());
                    events.add(new Event(name, data.path("sessionId").asText(), data.path("reason").asText()));
                } else if (line.isEmpty()) {
                    name = null;
                }
            }
        } catch (IOException closed) {
            // the subscription ended
        }
    }
}
