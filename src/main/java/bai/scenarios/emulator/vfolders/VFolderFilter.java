package bai.scenarios.emulator.vfolders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The manager's query filter and ordering mini-languages, as {@code vfolder_list} accepts them:
 * {@code name == "x" & (status != "ready" | cloneable == true)}, operators {@code == != > >= < <=
 * contains in is isnot like ilike}, {@code !} for not; ordering {@code -created_at,+name}. Only the
 * fields the manager maps for {@code VirtualFolder} may be named.
 */
final class VFolderFilter implements Predicate<Map<String, Object>> {
    static final Set<String> FIELDS = Set.of("id", "host", "quota_scope_id", "name", "group", "group_name", "user",
            "user_email", "creator", "domain_name", "unmanaged_path", "usage_mode", "permission", "ownership_type",
            "max_files", "max_size", "created_at", "last_used", "cloneable", "status");
    static final Set<String> ORDER_FIELDS = Set.of("id", "host", "quota_scope_id", "name", "group", "group_name",
            "domain_name", "user", "user_email", "creator", "usage_mode", "permission", "ownership_type", "max_files",
            "max_size", "created_at", "last_used", "cloneable", "status", "cur_size");
    private static final List<String> OPERATORS = List.of("==", "!=", ">=", "<=", ">", "<", "contains", "isnot", "is",
            "ilike", "like", "in");

    private final Predicate<Map<String, Object>> predicate;

    private VFolderFilter(Predicate<Map<String, Object>> predicate) {
        this.predicate = predicate;
    }

    @Override
    public boolean test(Map<String, Object> row) {
        return predicate.test(row);
    }

    /** Parses a filter; a syntax error or an unknown field is an IllegalArgumentException with the manager's text. */
    static VFolderFilter parse(String text) {
        Parser parser = new Parser(text);
        Predicate<Map<String, Object>> predicate = parser.expression();
        parser.skipSpaces();
        if (!parser.atEnd()) {
            throw parser.error();
        }
        return new VFolderFilter(predicate);
    }

    /** An ordering: comma-separated fields, each optionally {@code +} (ascending) or {@code -}. */
    static Comparator<Map<String, Object>> ordering(String text) {
        Comparator<Map<String, Object>> comparator = null;
        for (String raw : text.split(",")) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            boolean descending = item.startsWith("-");
            String field = item.startsWith("-") || item.startsWith("+") ? item.substring(1).trim() : item;
            if (!ORDER_FIELDS.contains(field)) {
                throw new IllegalArgumentException("Query ordering parsing error: unknown column " + field);
            }
            Comparator<Map<String, Object>> next = Comparator.comparing(row -> comparable(row.get(field)),
                    Comparator.nullsLast(Comparator.naturalOrder()));
            if (descending) {
                next = next.reversed();
            }
            comparator = comparator == null ? next : comparator.thenComparing(next);
        }
        return comparator == null ? (a, b) -> 0 : comparator;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable comparable(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        return value.toString();
    }

    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        IllegalArgumentException error() {
            return new IllegalArgumentException("Query filter parsing error: unexpected input at position " + at
                    + " of '" + text + "'");
        }

        boolean atEnd() {
            return at >= text.length();
        }

        void skipSpaces() {
            while (!atEnd() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        Predicate<Map<String, Object>> expression() {
            Predicate<Map<String, Object>> left = term();
            while (true) {
                skipSpaces();
                if (atEnd() || (text.charAt(at) != '&' && text.charAt(at) != '|')) {
                    return left;
                }
                char op = text.charAt(at++);
                Predicate<Map<String, Object>> right = term();
                Predicate<Map<String, Object>> l = left;
                left = op == '&' ? row -> l.test(row) && right.test(row) : row -> l.test(row) || right.test(row);
            }
        }

        Predicate<Map<String, Object>> term() {
            skipSpaces();
            if (atEnd()) {
                throw error();
            }
            char c = text.charAt(at);
            if (c == '!' && !text.startsWith("!=", at)) {
                at++;
                return term().negate();
            }
            if (c == '(') {
                at++;
                Predicate<Map<String, Object>> inner = expression();
                skipSpaces();
                if (atEnd() || text.charAt(at) != ')') {
                    throw error();
                }
                at++;
                return inner;
            }
            String field = name();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("('Unknown/unsupported field name', '" + field + "')");
            }
            skipSpaces();
            String op = null;
            for (String candidate : OPERATORS) {
                if (text.startsWith(candidate, at)) {
                    op = candidate;
                    break;
                }
            }
            if (op == null) {
                throw error();
            }
            at += op.length();
            Object value = value();
            return comparison(field, op, value);
        }

        private String name() {
            int start = at;
            while (!atEnd() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            if (start == at) {
                throw error();
            }
            return text.substring(start, at);
        }

        private Object value() {
            skipSpaces();
            if (atEnd()) {
                throw error();
            }
            char c = text.charAt(at);
            if (c == '"') {
                StringBuilder out = new StringBuilder();
                at++;
                while (!atEnd() && text.charAt(at) != '"') {
                    if (text.charAt(at) == '\\' && at + 1 < text.length()) {
                        at++;
                    }
                    out.append(text.charAt(at++));
                }
                if (atEnd()) {
                    throw error();
                }
                at++;
                return out.toString();
            }
            if (c == '[') {
                at++;
                List<Object> items = new ArrayList<>();
                skipSpaces();
                if (!atEnd() && text.charAt(at) == ']') {
                    at++;
                    return items;
                }
                while (true) {
                    items.add(value());
                    skipSpaces();
                    if (atEnd()) {
                        throw error();
                    }
                    if (text.charAt(at) == ']') {
                        at++;
                        return items;
                    }
                    if (text.charAt(at) != ',') {
                        throw error();
                    }
                    at++;
                }
            }
            for (String atom : List.of("null", "true", "false")) {
                if (text.startsWith(atom, at)) {
                    at += atom.length();
                    return atom.equals("null") ? null : Boolean.valueOf(atom);
                }
            }
            int start = at;
            while (!atEnd() && (Character.isDigit(text.charAt(at)) || "+-.eE".indexOf(text.charAt(at)) >= 0)) {
                at++;
            }
            if (start == at) {
                throw error();
            }
            try {
                return new BigDecimal(text.substring(start, at));
            } catch (NumberFormatException e) {
                throw error();
            }
        }
    }

    private static Predicate<Map<String, Object>> comparison(String field, String op, Object value) {
        return row -> {
            Object actual = row.get(field);
            return switch (op) {
                case "==" -> same(actual, value);
                case "!=" -> actual != null && value != null && !same(actual, value);
                case "is" -> value == null ? actual == null : same(actual, value);
                case "isnot" -> value == null ? actual != null : !same(actual, value);
                case "in" -> value instanceof List<?> list && list.stream().anyMatch(v -> same(actual, v));
                case "contains" -> actual != null && value != null && actual.toString().contains(value.toString());
                case "like" -> actual != null && value != null && like(actual.toString(), value.toString(), false);
                case "ilike" -> actual != null && value != null && like(actual.toString(), value.toString(), true);
                default -> actual != null && value != null && compare(actual, value, op);
            };
        };
    }

    private static boolean same(Object actual, Object value) {
        if (actual == null || value == null) {
            return false;
        }
        if (actual instanceof Number || value instanceof BigDecimal) {
            try {
                return new BigDecimal(actual.toString()).compareTo(new BigDecimal(value.toString())) == 0;
            } catch (NumberFormatException notNumbers) {
                return false;
            }
        }
        return actual.toString().equals(value.toString());
    }

    private static boolean compare(Object actual, Object value, String op) {
        int result;
        try {
            result = new BigDecimal(actual.toString()).compareTo(new BigDecimal(value.toString()));
        } catch (NumberFormatException notNumbers) {
            result = actual.toString().compareTo(value.toString());
        }
        return switch (op) {
            case ">" -> result > 0;
            case ">=" -> result >= 0;
            case "<" -> result < 0;
            default -> result <= 0;
        };
    }

    private static boolean like(String actual, String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '%' -> regex.append(".*");
                case '_' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern compiled = ignoreCase ? Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL)
                : Pattern.compile(regex.toString(), Pattern.DOTALL);
        return compiled.matcher(ignoreCase ? actual.toLowerCase(Locale.ROOT) : actual).matches()
                || ignoreCase && compiled.matcher(actual).matches();
    }
}
