package bai.scenarios.emulator.graphql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resource slot maps as the manager's {@code ResourceSlot.to_json()} writes them: every amount a
 * decimal string rounded to two places with trailing zeros dropped ({@code "4"}, {@code "0.5"},
 * memory in bytes), cpu before mem.
 */
final class Slots {
    private Slots() {
    }

    static String amount(BigDecimal value) {
        BigDecimal rounded = value.setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return rounded.signum() == 0 ? "0" : rounded.toPlainString();
    }

    static Map<String, String> of(BigDecimal cpu, BigInteger mem) {
        Map<String, String> slots = new LinkedHashMap<>();
        slots.put("cpu", amount(cpu));
        slots.put("mem", amount(new BigDecimal(mem)));
        return slots;
    }

    /** {@code a - b} slot by slot (the keys of {@code a}). */
    static Map<String, String> minus(Map<String, String> a, Map<String, String> b) {
        Map<String, String> result = new LinkedHashMap<>();
        a.forEach((slot, amount) -> result.put(slot, amount(new BigDecimal(amount)
                .subtract(new BigDecimal(b.getOrDefault(slot, "0"))))));
        return result;
    }

    /** {@code a + b} slot by slot. */
    static Map<String, String> plus(Map<String, String> a, Map<String, String> b) {
        Map<String, String> result = new LinkedHashMap<>(a);
        b.forEach((slot, amount) -> result.merge(slot, amount,
                (x, y) -> amount(new BigDecimal(x).add(new BigDecimal(y)))));
        return result;
    }
}
