package bai.scenarios.client.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small stand-in for the storage proxy's client-facing API, for the transfer client's unit
 * tests: one tus upload session per token (opened up front, as the manager does), {@code HEAD} and
 * {@code PATCH} with the proxy's answers, and {@code GET /download}. Knobs let a test make the
 * proxy keep the bytes of a request that broke off, or move its offset behind the client's back.
 */
final class FakeStorageProxy implements AutoCloseable {
    /** One upload session: the declared size and the bytes received so far. */
    static final class Session {
        final long size;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Session(long size) {
            this.size = size;
        }

        synchronized long offset() {
            return bytes.size();
        }
    }

    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<Long> patchLengths = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Session> uploads = new ConcurrentHashMap<>();
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** Keep the bytes of a PATCH whose connection failed (the real proxy's staging file does; its offset does not). */
    volatile boolean keepBrokenBytes;
    /** Answer this many PATCHes with 409 tus-lease-held, as the proxy does while a broken-off PATCH holds the lease. */
    final java.util.concurrent.atomic.AtomicInteger leaseHeldFor = new java.util.concurrent.atomic.AtomicInteger();
    /** Lose this many received bytes before the next PATCH is checked, once (a 409 follows). */
    volatile int loseBytesOnce;
    private final HttpServer server;

    FakeStorageProxy() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/upload", this::upload);
        server.createContext("/download", this::download);
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    TransferTicket openUpload(String token, long size) {
        uploads.put(token, new Session(size));
        return new TransferTicket(url("/upload"), token);
    }

    TransferTicket offerDownload(String token, byte[] content) {
        files.put(token, content);
        return new TransferTicket(url("/download"), token);
    }

    private void upload(HttpExchange exchange) throws IOException {
        String token = token(exchange);
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Upload-Offset"));
        Session session = uploads.get(token);
        if (session == null) {
            drain(exchange.getRequestBody());
            problem(exchange, 404, "storage/tus-session-not-found", "TUS upload session not found");
            return;
        }
        exchange.getResponseHeaders().add("Tus-Resumable", "1.0.0");
        exchange.getResponseHeaders().add("Upload-Length", Long.toString(session.size));
        switch (exchange.getRequestMethod()) {
            case "HEAD" -> {
                exchange.getResponseHeaders().add("Upload-Offset", Long.toString(session.offset()));
                exchange.getResponseHeaders().add("Cache-Control", "no-store");
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            }
            case "PATCH" -> patch(exchange, session);
            default -> {
                drain(exchange.getRequestBody());
                exchange.sendResponseHeaders(405, -1);
                exchange.close();
            }
        }
    }

    private void patch(HttpExchange exchange, Session session) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Upload-Offset");
        if (header == null) {
            drain(exchange.getRequestBody());
            problem(exchange, 400, "storage/invalid-api-params", "Missing required Upload-Offset header");
            return;
        }
        synchronized (session) {
            if (leaseHeldFor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                drain(exchange.getRequestBody());
                problem(exchange, 409, "storage/tus-lease-held", "TUS session lease is held by another storage-proxy");
                return;
            }
            if (loseBytesOnce > 0) {
                byte[] kept = session.bytes.toByteArray();
                session.bytes.reset();
                session.bytes.write(kept, 0, kept.length - Math.min(loseBytesOnce, kept.length));
                loseBytesOnce = 0;
            }
            long offset = Long.parseLong(header);
            if (offset != session.offset()) {
                drain(exchange.getRequestBody());
                problem(exchange, 409, "storage/upload-offset-mismatch", "Upload offset mismatch");
                return;
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                exchange.getRequestBody().transferTo(received);
            } catch (IOException broken) {
                if (keepBrokenBytes) {
                    session.bytes.write(received.toByteArray());
                }
                exchange.close();
                return;
            }
            long declared = Long.parseLong(exchange.getRequestHeaders().getFirst("Content-Length"));
            if (received.size() < declared) {
                // The client went away mid-body: nothing counts unless the knob says so.
                if (keepBrokenBytes) {
                    session.bytes.write(received.toByteArray());
                }
                exchange.close();
                return;
            }
            patchLengths.add((long) received.size());
            session.bytes.write(received.toByteArray());
            exchange.getResponseHeaders().add("Upload-Offset", Long.toString(session.offset()));
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private void download(HttpExchange exchange) throws IOException {
        requests.add(exchange.getRequestMethod() + " download");
        byte[] content = files.get(token(exchange));
        if (content == null) {
            problem(exchange, 404, "storage/file-not-found", "File not found");
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, content.length);
        exchange.getResponseBody().write(content);
        exchange.close();
    }

    private static String token(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return "";
        }
        for (String part : query.split("&")) {
            if (part.startsWith("token=")) {
                return java.net.URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static void problem(HttpExchange exchange, int status, String slug, String title) throws IOException {
        byte[] body = ("{\"type\": \"https://api.backend.ai/probs/" + slug + "\", \"title\": \"" + title + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the client went away
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
