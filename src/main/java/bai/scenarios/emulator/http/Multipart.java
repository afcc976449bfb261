package bai.scenarios.emulator.http;

import io.undertow.server.DefaultByteBufferPool;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.MultipartParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body into its parts (enough for the upload routes).
 * <p>
 * The parsing is Undertow's own {@link MultipartParser}: a single-pass state machine that looks
 * at each byte of the body once, so its time is linear in the body size whatever the boundary.
 * (The hand-written scanner it replaces re-compared the whole boundary at every byte offset: an
 * 8 MB body with a 10,000-character boundary took half a minute of CPU.) The boundary must be what
 * RFC 2046 §5.1.1 allows, 1 to 70 characters of its {@code bchars}; aiohttp's
 * {@code MultipartReader} refuses a longer one as well ("boundary … is too long (70 chars max)").
 */
public final class Multipart {
    /** RFC 2046's upper limit on a boundary's length. */
    public static final int MAX_BOUNDARY = 70;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)(?:^|;)\\s*boundary=(\"[^\"]*\"|[^;\\s]*)");
    /** RFC 2046 bchars: DIGIT / ALPHA / "'()+_,-./:=? " (a space only inside, never last). */
    private static final Pattern BCHARS = Pattern.compile("[0-9A-Za-z'()+_,\\-./:=? ]{0,69}[0-9A-Za-z'()+_,\\-./:=?]");
    private static final DefaultByteBufferPool POOL = new DefaultByteBufferPool(false, 8192, 16, 0);

    private Multipart() {
    }

    /** One part: its form field name, file name (if any) and content. */
    public record Part(String name, String filename, byte[] content) {
    }

    public static List<Part> parse(String contentType, byte[] body) {
        String boundary = boundary(contentType);
        List<Part> parts = new ArrayList<>();
        MultipartParser.PartHandler handler = new MultipartParser.PartHandler() {
            private HeaderMap headers;
            private ByteArrayOutputStream content;

            @Override
            public void beginPart(HeaderMap partHeaders) {
                headers = partHeaders;
                content = new ByteArrayOutputStream();
            }

            @Override
            public void data(ByteBuffer buffer) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                content.writeBytes(chunk);
            }

            @Override
            public void endPart() {
                String disposition = headers.getFirst(Headers.CONTENT_DISPOSITION);
                String name = disposition == null ? null : Headers.extractQuotedValueFromHeader(disposition, "name");
                String filename = disposition == null ? null
                        : Headers.extractQuotedValueFromHeaderWithEncoding(disposition, "filename");
                parts.add(new Part(name == null ? "" : utf8(name), filename == null ? null : utf8(filename),
                        content.toByteArray()));
            }
        };
        MultipartParser.ParseState state = MultipartParser.beginParse(POOL, handler,
                boundary.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1.name());
        try {
            state.parse(ByteBuffer.wrap(body));
        } catch (IOException | RuntimeException malformed) {
            throw Problems.malformedRequestBody("Malformed body - invalid multipart/form-data");
        }
        if (!state.isComplete()) {
            throw Problems.malformedRequestBody("Malformed body - unterminated multipart/form-data");
        }
        return parts;
    }

    /** The boundary of a {@code multipart/form-data} content type; anything else is refused. */
    static String boundary(String contentType) {
        Matcher match = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (match == null || !contentType.trim().toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")
                || !match.find()) {
            throw Problems.malformedRequestBody("Malformed body - not multipart/form-data with a boundary");
        }
        String boundary = match.group(1);
        if (boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
            boundary = boundary.substring(1, boundary.length() - 1);
        }
        if (boundary.length() > MAX_BOUNDARY) {
            throw Problems.malformedRequestBody("Malformed body - the multipart boundary is too long ("
                    + MAX_BOUNDARY + " chars max)");
        }
        if (!BCHARS.matcher(boundary).matches()) {
            throw Problems.malformedRequestBody("Malformed body - invalid multipart boundary");
        }
        return boundary;
    }

    /** Part headers arrive as ISO-8859-1 characters; names and file names are UTF-8 (as browsers and aiohttp send). */
    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
