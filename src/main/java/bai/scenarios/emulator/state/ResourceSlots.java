package bai.scenarios.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource slot maps as the manager stores them: every amount a decimal string, memory-like
 * slots ({@code mem}, {@code *.mem}) converted from sizes such as {@code 4g} to bytes.
 */
public final class ResourceSlots {
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgtpe]?)(i?b?)\\s*");

    private ResourceSlots() {
    }

    public static JsonNode normalize(JsonNode slots) {
        if (slots == null || !slots.isObject()) {
            return slots;
        }
        ObjectNode normalized = JsonNodeFactory.instance.objectNode();
        slots.fields().forEachRemaining(e -> normalized.put(e.getKey(), amount(e.getKey(), e.getValue().asText())));
        return normalized;
    }

    private static String amount(String slot, String value) {
        if (slot.equals("mem") || slot.endsWith(".mem")) {
            Matcher size = SIZE.matcher(value);
            if (size.matches()) {
                // A bare number is already bytes ("kmgtpe".indexOf("") would be 0, not -1).
                String unit = size.group(2).toLowerCase(Locale.ROOT);
                int power = unit.isEmpty() ? 0 : "kmgtpe".indexOf(unit) + 1;
                return new BigDecimal(size.group(1)).multiply(BigDecimal.valueOf(1024).pow(power))
                        .toBigInteger().toString();
            }
            return value;
        }
        try {
            return new BigDecimal(value).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException notANumber) {
            return value;
        }
    }
}
