package bai.scenarios.emulator.sessions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One resource-slot amount as the manager's {@code Decimal} arithmetic keeps it: finite with its
 * scale (database sums carry six places, {@code 4.000000}), {@code Infinity} for an unlimited
 * policy, {@code NaN} where a value is hidden. {@link #toString()} is Python's {@code str(Decimal)}
 * (Java's {@code BigDecimal.toString()} follows the same rule for exponents). Lists of named
 * quantities ({@link #add}, {@link #subtract}, {@link #min}, {@link #covers}) behave as the
 * manager's {@code SlotQuantity} helpers: the first list's order wins.
 */
record Quantity(BigDecimal value, boolean infinite, boolean nan) {
    static final Quantity INFINITY = new Quantity(null, true, false);
    static final Quantity NAN = new Quantity(null, false, true);
    static final Quantity ZERO = of(BigDecimal.ZERO);

    static Quantity of(BigDecimal value) {
        return new Quantity(value, false, false);
    }

    /** A database amount ({@code Numeric(24, 6)}). */
    static Quantity column(BigDecimal value) {
        return of(value.setScale(6, RoundingMode.HALF_EVEN));
    }

    /** {@code _normalize_value} of a count slot: quantized to thousandths, then normalised ({@code 10} → {@code 1E+1}). */
    static Quantity normalisedCount(String text) {
        BigDecimal quantized = new BigDecimal(text.trim()).setScale(3, RoundingMode.HALF_EVEN);
        return of(quantized.signum() == 0 ? BigDecimal.ZERO : quantized.stripTrailingZeros());
    }

    Quantity minus(Quantity other) {
        if (nan || other.nan) {
            return NAN;
        }
        if (infinite) {
            return other.infinite ? NAN : INFINITY;
        }
        if (other.infinite) {
            return new Quantity(null, true, false); // -Infinity never reaches the wire here
        }
        return of(value.subtract(other.value));
    }

    Quantity plus(Quantity other) {
        if (nan || other.nan) {
            return NAN;
        }
        if (infinite || other.infinite) {
            return INFINITY;
        }
        return of(value.add(other.value));
    }

    int compareTo(Quantity other) {
        if (infinite) {
            return other.infinite ? 0 : 1;
        }
        if (other.infinite) {
            return -1;
        }
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        if (nan) {
            return "NaN";
        }
        if (infinite) {
            return "Infinity";
        }
        return value.toString();
    }

    // --- lists of named quantities, in the manager's helpers' semantics ---------------------

    static Map<String, Quantity> subtract(Map<String, Quantity> a, Map<String, Quantity> b) {
        Map<String, Quantity> result = new LinkedHashMap<>();
        a.forEach((slot, q) -> result.put(slot, q.minus(b.getOrDefault(slot, ZERO))));
        return result;
    }

    static Map<String, Quantity> add(Map<String, Quantity> a, Map<String, Quantity> b) {
        Map<String, Quantity> result = new LinkedHashMap<>();
        a.forEach((slot, q) -> result.put(slot, q.plus(b.getOrDefault(slot, ZERO))));
        b.forEach(result::putIfAbsent);
        return result;
    }

    /** Element-wise minimum in the first list's order; a tie keeps the first list's value. */
    @SafeVarargs
    static Map<String, Quantity> min(Map<String, Quantity> first, Map<String, Quantity>... others) {
        Map<String, Quantity> result = new LinkedHashMap<>();
        first.forEach((slot, q) -> {
            Quantity least = q;
            for (Map<String, Quantity> other : others) {
                Quantity candidate = other.getOrDefault(slot, q);
                if (candidate.compareTo(least) < 0) {
                    least = candidate;
                }
            }
            result.put(slot, least);
        });
        return result;
    }

    /** {@code quantities_ge(a, b)}: every slot of b is covered by a (a missing slot counts as 0). */
    static boolean covers(Map<String, Quantity> a, Map<String, Quantity> b) {
        for (Map.Entry<String, Quantity> wanted : b.entrySet()) {
            if (a.getOrDefault(wanted.getKey(), ZERO).compareTo(wanted.getValue()) < 0) {
                return false;
            }
        }
        return true;
    }

    static Map<String, String> toWire(Map<String, Quantity> quantities) {
        Map<String, String> wire = new LinkedHashMap<>();
        quantities.forEach((slot, q) -> wire.put(slot, q.toString()));
        return wire;
    }

    static List<String> names(Map<String, Quantity> quantities) {
        return new ArrayList<>(quantities.keySet());
    }
}
