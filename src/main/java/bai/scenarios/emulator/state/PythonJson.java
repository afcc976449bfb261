package bai.scenarios.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.Map;

/**
 * JSON text as Python's {@code json.dumps} writes it ({@code ", "} and {@code ": "} separators),
 * which is how the manager's JSONString fields read on the wire.
 */
public final class PythonJson {
    private PythonJson() {
    }

    public static String dumps(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(quote(field.getKey())).append(": ");
                write(field.getValue(), out);
                if (fields.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            out.append(quote(node.asText()));
        } else if (node.isBoolean()) {
            out.append(node.asBoolean() ? "true" : "false");
        } else {
            out.append(node.asText());
        }
    }

    private static String quote(String text) {
        return TextNode.valueOf(text).toString();
    }
}
