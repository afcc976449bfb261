package bai.scenarios.client.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** A {@code multipart/form-data} body with one file part per entry, all under one part name. */
public record MultipartForm(String contentType, byte[] body) {

    public static MultipartForm files(String partName, Map<String, byte[]> files) {
        String boundary = "bai-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.forEach((name, content) -> {
            write(out, "--" + boundary + "\r\n");
            write(out, "Content-Disposition: form-data; name=\"" + quoted(partName) + "\"; filename=\"" + quoted(name)
                    + "\"\r\n");
            write(out, "Content-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(content);
            write(out, "\r\n");
        });
        write(out, "--" + boundary + "--\r\n");
        return new MultipartForm("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    /** A quoted-string's content: quotes and backslashes escaped, line breaks (which would end the header) encoded. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
