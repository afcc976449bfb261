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
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > MAX ? out + "…" : out.toString();
    }
}
