package bai.scenarios.emulator.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a {@code multipart/form-data} body into its parts (enough for the upload routes). */
public final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("(?i)\\bname=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i)filename=\"([^\"]*)\"");

    private Multipart() {
    }

    /** One part: its form field name, file name (if any) and content. */
    public record Part(String name, String filename, byte[] content) {
    }

    public static List<Part> parse(String contentType, byte[] body) {
        Matcher boundaryMatch = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (boundaryMatch == null || !boundaryMatch.find()) {
            throw Problems.malformedRequestBody("Malformed body - not multipart/form-data with a boundary");
        }
        byte[] delimiter = ("--" + boundaryMatch.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int start = indexOf(body, delimiter, 0);
        while (start >= 0) {
            int contentStart = start + delimiter.length;
            if (contentStart + 2 <= body.length && body[contentStart] == '-' && body[contentStart + 1] == '-') {
                break; // closing delimiter
            }
            int next = indexOf(body, delimiter, contentStart);
            if (next < 0) {
                throw Problems.malformedRequestBody("Malformed body - unterminated multipart part");
            }
            byte[] raw = Arrays.copyOfRange(body, skipLineBreak(body, contentStart), Math.max(contentStart, next - 2));
            int headerEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
            if (headerEnd >= 0) {
                String headers = new String(raw, 0, headerEnd, StandardCharsets.UTF_8);
                String disposition = headers.lines()
                        .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-disposition")).findFirst().orElse("");
                Matcher name = NAME.matcher(disposition);
                Matcher filename = FILENAME.matcher(disposition);
                parts.add(new Part(name.find() ? name.group(1) : "", filename.find() ? filename.group(1) : null,
                        Arrays.copyOfRange(raw, headerEnd + 4, raw.length)));
            }
            start = next;
        }
        return parts;
    }

    private static int skipLineBreak(byte[] body, int at) {
        return at + 1 < body.length && body[at] == '\r' && body[at + 1] == '\n' ? at + 2 : at;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
