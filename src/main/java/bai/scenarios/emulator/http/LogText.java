package bai.scenarios.emulator.http;

/** Makes caller-supplied text safe for one log line: control characters escaped, length capped. */
public final class LogText {
    private static final int MAX = 200;

    private LogText() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX; i++) {
            char c = text.charAt(i);
            // C0, DEL, C1 (NEL among them), the Unicode line/paragraph separators and bidi overrides.
            if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029 || c >= 0x202a && c <= 0x202e
                    || c >= 0x2066 && c <= 0x2069) {
                out.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > MAX ? out + "…" : out.toString();
    }
}
