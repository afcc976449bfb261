package bai.scenarios.emulator.serving;

import bai.scenarios.emulator.state.Records;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model definition ({@code model-definition.yaml}) as the agent reads it from the model
 * folder: {@code models[0]} with its {@code name}, {@code model_path} and optional
 * {@code service} ({@code start_command}, {@code port}, {@code health_check.path}). YAML is read
 * by a small block-style subset parser (mappings, sequences, scalars, flow lists kept as text);
 * JSON is read as JSON.
 */
record ModelDefinition(String name, String modelPath, String healthPath, Object startCommand, Integer port) {

    /** A definition that is missing or malformed; its message is the route's error. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static ModelDefinition read(Path folder, String definitionPath) throws Invalid {
        Path file = folder.resolve(definitionPath).normalize();
        if (!file.startsWith(folder)) {
            throw new Invalid("model definition path escapes the model folder: " + definitionPath);
        }
        if (!Files.isRegularFile(file) && definitionPath.equals("model-definition.yaml")) {
            file = folder.resolve("model-definition.yml");
        }
        if (!Files.isRegularFile(file)) {
            throw new Invalid("Model definition file (" + definitionPath + ") does not exist under the model folder");
        }
        Object parsed;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            parsed = text.stripLeading().startsWith("{") ? Records.JSON.readValue(text, Map.class) : parseYaml(text);
        } catch (IOException | RuntimeException e) {
            throw new Invalid("Failed to parse the model definition: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> root) || !(root.get("models") instanceof List<?> models) || models.isEmpty()
                || !(models.get(0) instanceof Map<?, ?> model)) {
            throw new Invalid("Invalid model definition: models must list at least one model");
        }
        if (model.get("name") == null || model.get("model_path") == null) {
            throw new Invalid("Invalid model definition: models.0." + (model.get("name") == null ? "name" : "model_path")
                    + " is required");
        }
        String health = "/health";
        Object startCommand = null;
        Integer port = null;
        if (model.get("service") instanceof Map<?, ?> service) {
            startCommand = service.get("start_command");
            if (service.get("port") != null) {
                try {
                    port = Integer.valueOf(String.valueOf(service.get("port")));
                } catch (NumberFormatException e) {
                    throw new Invalid("Invalid model definition: models.0.service.port must be an integer");
                }
            }
            if (service.get("health_check") instanceof Map<?, ?> check && check.get("path") != null) {
                health = String.valueOf(check.get("path"));
            }
        }
        if (!health.startsWith("/")) {
            health = "/" + health;
        }
        return new ModelDefinition(String.valueOf(model.get("name")), String.valueOf(model.get("model_path")), health,
                startCommand, port);
    }

    // --- a block-style YAML subset ---------------------------------------------------------------

    private record Line(int indent, String text) {
    }

    static Object parseYaml(String text) {
        List<Line> lines = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = stripComment(raw);
            if (line.isBlank() || line.strip().equals("---")) {
                continue;
            }
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            lines.add(new Line(indent, line.strip()));
        }
        int[] at = {0};
        return lines.isEmpty() ? Map.of() : block(lines, at, lines.get(0).indent());
    }

    private static String stripComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static Object block(List<Line> lines, int[] at, int indent) {
        if (lines.get(at[0]).text().startsWith("- ") || lines.get(at[0]).text().equals("-")) {
            List<Object> list = new ArrayList<>();
            while (at[0] < lines.size() && lines.get(at[0]).indent() == indent
                    && (lines.get(at[0]).text().startsWith("- ") || lines.get(at[0]).text().equals("-"))) {
                Line line = lines.get(at[0]);
                String rest = line.text().substring(1).strip();
                if (rest.isEmpty()) {
                    at[0]++;
                    list.add(at[0] < lines.size() && lines.get(at[0]).indent() > indent
                            ? block(lines, at, lines.get(at[0]).indent()) : null);
                } else if (isKey(rest)) {
                    // "- key: value" opens a mapping whose further keys sit at the dash's indent + 2.
                    int inner = indent + 2;
                    lines.set(at[0], new Line(inner, rest));
                    list.add(block(lines, at, inner));
                } else {
                    list.add(scalar(rest));
                    at[0]++;
                }
            }
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        while (at[0] < lines.size() && lines.get(at[0]).indent() == indent) {
            Line line = lines.get(at[0]);
            int colon = keyEnd(line.text());
            if (colon < 0) {
                throw new IllegalArgumentException("expected a key at: " + line.text());
            }
            String key = unquote(line.text().substring(0, colon).strip());
            String value = line.text().substring(colon + 1).strip();
            at[0]++;
            if (!value.isEmpty()) {
                map.put(key, scalar(value));
            } else if (at[0] < lines.size() && (lines.get(at[0]).indent() > indent
                    || lines.get(at[0]).indent() == indent && lines.get(at[0]).text().startsWith("-"))) {
                map.put(key, block(lines, at, lines.get(at[0]).indent()));
            } else {
                map.put(key, null);
            }
        }
        return map;
    }

    private static boolean isKey(String text) {
        return keyEnd(text) > 0;
    }

    private static int keyEnd(String text) {
        if (text.startsWith("\"") || text.startsWith("'")) {
            int close = text.indexOf(text.charAt(0), 1);
            return close > 0 && text.startsWith(":", close + 1) ? close + 1 : -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }

    private static Object scalar(String value) {
        if (value.startsWith("[") && value.endsWith("]")) {
            List<Object> items = new ArrayList<>();
            String inner = value.substring(1, value.length() - 1).strip();
            if (!inner.isEmpty()) {
                for (String item : inner.split(",")) {
                    items.add(scalar(item.strip()));
                }
            }
            return items;
        }
        if (value.equals("{}")) {
            return Map.of();
        }
        return unquote(value);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
