package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiError;
import bai.scenarios.emulator.http.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A request model's fields read as pydantic reads them in lax mode (the manager's
 * {@code BaseRequestModel}: aliases first, then the field name; unknown keys ignored), with a
 * validation failure reported as the manager reports it: {@code 400 generic-bad-request}
 * "Invalid or Missing API Parameters." naming the model and the field.
 */
final class Fields {
    private static final Set<String> TRUE = Set.of("1", "true", "t", "yes", "y", "on");
    private static final Set<String> FALSE = Set.of("0", "false", "f", "no", "n", "off");

    private final JsonNode node;
    private final String model;

    private Fields(JsonNode node, String model) {
        this.node = node;
        this.model = model;
    }

    /** The JSON body ({@code BodyParam}): none or not JSON is "Malformed request body.", not an object a validation error. */
    static Fields body(ApiCall call, String model) {
        JsonNode body = call.jsonBody();
        if (!body.isObject()) {
            throw Problems.invalidApiParameters("1 validation error for " + model + "\n  Input should be a valid dictionary"
                    + " or instance of " + model);
        }
        return new Fields(body, model);
    }

    /** The query string ({@code QueryParam}); every value is a string, the first of repeated keys wins. */
    static Fields query(ApiCall call, String model, String... names) {
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        for (String name : names) {
            call.request().queryValues(name).stream().findFirst().ifPresent(v -> values.put(name, v));
        }
        return new Fields(values, model);
    }

    ApiError invalid(String field, String message) {
        return Problems.invalidApiParameters("1 validation error for " + model + "\n" + field + "\n  " + message);
    }

    private JsonNode find(String field, String... aliases) {
        for (String alias : aliases) {
            if (node.has(alias)) {
                return node.get(alias);
            }
        }
        return node.get(field);
    }

    boolean has(String field, String... aliases) {
        return find(field, aliases) != null;
    }

    String requiredString(String field, String... aliases) {
        JsonNode value = find(field, aliases);
        if (value == null) {
            throw invalid(field, "Field required");
        }
        return string(field, value);
    }

    /** An optional {@code str | None} field. */
    String optionalString(String field, String... aliases) {
        JsonNode value = find(field, aliases);
        return value == null || value.isNull() ? null : string(field, value);
    }

    private String string(String field, JsonNode value) {
        if (!value.isTextual()) {
            throw invalid(field, "Input should be a valid string");
        }
        return value.asText();
    }

    boolean bool(String field, boolean fallback, String... aliases) {
        Boolean value = optionalBool(field, aliases);
        return value == null ? fallback : value;
    }

    /** A {@code bool | None} field (null when absent or null). */
    Boolean optionalBool(String field, String... aliases) {
        JsonNode value = find(field, aliases);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isIntegralNumber() && (value.asLong() == 0 || value.asLong() == 1)) {
            return value.asLong() == 1;
        }
        if (value.isTextual()) {
            String text = value.asText().toLowerCase(Locale.ROOT);
            if (TRUE.contains(text)) {
                return true;
            }
            if (FALSE.contains(text)) {
                return false;
            }
        }
        throw invalid(field, "Input should be a valid boolean");
    }

    /** A required {@code int} (lax: integral numbers and numeric strings). */
    long integer(String field, String... aliases) {
        JsonNode value = find(field, aliases);
        if (value == null) {
            throw invalid(field, "Field required");
        }
        try {
            if (value.isIntegralNumber()) {
                return value.asLong();
            }
            if (value.isNumber() || value.isTextual()) {
                BigDecimal number = new BigDecimal(value.asText().trim());
                if (number.stripTrailingZeros().scale() <= 0) {
                    return number.longValueExact();
                }
                throw invalid(field, "Input should be a valid integer, got a number with a fractional part");
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(field, "Input should be a valid integer, unable to parse string as an integer");
        }
        throw invalid(field, "Input should be a valid integer");
    }

    UUID requiredUuid(String field, String... aliases) {
        JsonNode value = find(field, aliases);
        if (value == null) {
            throw invalid(field, "Field required");
        }
        return uuid(field, value);
    }

    UUID optionalUuid(String field, String... aliases) {
        JsonNode value = find(field, aliases);
        return value == null || value.isNull() ? null : uuid(field, value);
    }

    private UUID uuid(String field, JsonNode value) {
        UUID id = value.isTextual() ? PyPaths.pydanticUuid(value.asText()) : null;
        if (id == null) {
            throw invalid(field, "Input should be a valid UUID, invalid character: expected an optional prefix of"
                    + " `urn:uuid:` followed by [0-9a-fA-F-]");
        }
        return id;
    }

    /** A field with an enum's values ({@code choices}); case-insensitive for the CIStrEnum ones. */
    String choice(String field, String fallback, List<String> choices, boolean caseInsensitive, String... aliases) {
        JsonNode value = find(field, aliases);
        if (value == null) {
            return fallback;
        }
        String text = value.isTextual() ? value.asText() : null;
        if (text != null && caseInsensitive) {
            text = text.toLowerCase(Locale.ROOT);
        }
        if (text == null || !choices.contains(text)) {
            List<String> quoted = choices.stream().map(c -> "'" + c + "'").toList();
            String expected = quoted.size() == 1 ? quoted.get(0) : String.join(", ", quoted.subList(0, quoted.size() - 1))
                    + " or " + quoted.get(quoted.size() - 1);
            throw invalid(field, "Input should be " + expected);
        }
        return text;
    }

    /** A {@code choice} that is optional: null when absent or null. */
    String optionalChoice(String field, List<String> choices, String... aliases) {
        JsonNode value = find(field, aliases);
        return value == null || value.isNull() ? null : choice(field, null, choices, false, aliases);
    }

    /** A {@code list[str]} field; {@code minLength} as pydantic's {@code min_length}. */
    List<String> stringList(String field, int minLength, String... aliases) {
        JsonNode value = find(field, aliases);
        if (value == null) {
            throw invalid(field, "Field required");
        }
        if (!value.isArray()) {
            throw invalid(field, "Input should be a valid list");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw invalid(field + "." + items.size(), "Input should be a valid string");
            }
            items.add(item.asText());
        }
        if (items.size() < minLength) {
            throw invalid(field, "List should have at least " + minLength + " item after validation, not "
                    + items.size());
        }
        return items;
    }

    JsonNode raw(String field, String... aliases) {
        return find(field, aliases);
    }
}
