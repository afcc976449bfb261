package bai.scenarios.emulator.graphql;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The manager's query mini-languages for the legacy paginated lists: the {@code filter}
 * expression ({@code status == "RUNNING" & name ilike "%py%"}) and the {@code order} expression
 * ({@code -created_at,name}), evaluated over the emulator's rows instead of compiled to SQL.
 *
 * <p>Grammar and meaning as the manager's {@code minilang} parsers (lark, LALR): comparisons
 * {@code == != > >= < <= contains in is isnot like ilike}; values are double-quoted strings,
 * numbers, {@code [..]} arrays and the atoms {@code null true false}; {@code &} and {@code |}
 * have the same precedence and group to the right, and {@code !} negates everything after it
 * (the parser resolves its conflicts by shifting); parentheses group. Comparisons follow SQL:
 * a NULL column makes a comparison unknown, so the row is left out, and {@code == null} means
 * {@code IS NULL}. Each list names the fields it accepts ({@link Field}); another name is the
 * manager's "Unknown/unsupported field name" error.
 *
 * <p>Where the emulator cannot be exact: a syntax error reads "Query filter parsing error: …"
 * with the emulator's own description instead of lark's; strings compare by code point (the
 * database's collation may order some characters differently).
 */
final class MiniLang {
    private MiniLang() {
    }

    /** How a field's values compare and how a filter's literal is read for it. */
    enum Kind { STRING, NUMBER, BOOLEAN, DATETIME, UUID, ENUM, STRING_ARRAY }

    /**
     * A field a list can be filtered or ordered by: how to read it from a row, and its kind.
     * {@code enumName} names the manager's enum class in errors; {@code enumValues} are its values
     * (matched case-insensitively, as the manager's case-insensitive enums do).
     */
    record Field<T>(String name, Kind kind, Function<T, Object> getter, String enumName, List<String> enumValues) {
        static <T> Field<T> of(String name, Kind kind, Function<T, Object> getter) {
            return new Field<>(name, kind, getter, null, List.of());
        }

        static <T> Field<T> ofEnum(String name, String enumName, List<String> values, Function<T, Object> getter) {
            return new Field<>(name, Kind.ENUM, getter, enumName, values);
        }
    }

    /** The fields one list accepts, by name. */
    static <T> Map<String, Field<T>> fields(List<Field<T>> fields) {
        Map<String, Field<T>> byName = new LinkedHashMap<>();
        fields.forEach(f -> byName.put(f.name(), f));
        return byName;
    }

    /** The manager's answer to a filter or order it cannot use: a ValueError, reported as an internal error. */
    static GqlError failure(String message) {
        return new GqlError(message, null, "backendai_generic_internal-error");
    }

    // --- filter ---------------------------------------------------------------------------------

    /** Parses {@code expression} into a row predicate; the manager's errors for unknown fields and bad values. */
    static <T> Predicate<T> filter(String expression, Map<String, Field<T>> fields) {
        Lexer lexer = new Lexer(expression);
        Node node;
        try {
            node = new Parser(lexer.tokens()).expression();
        } catch (SyntaxError e) {
            throw failure("Query filter parsing error: " + e.getMessage());
        }
        Condition<T> condition = node.bind(fields);
        return row -> Boolean.TRUE.equals(condition.test(row));
    }

    /** A bound condition: TRUE, FALSE or null (SQL's unknown). */
    private interface Condition<T> {
        Boolean test(T row);
    }

    private sealed interface Node permits Compare, Combine, Not {
        <T> Condition<T> bind(Map<String, Field<T>> fields);
    }

    private record Compare(String field, String op, Object value) implements Node {
        @Override
        public <T> Condition<T> bind(Map<String, Field<T>> fields) {
            Field<T> spec = fields.get(field);
            if (spec == null) {
                throw visitError("binary_expr", "('Unknown/unsupported field name', '" + field + "')");
            }
            Object literal = literalFor(spec, value);
            return row -> compare(spec, spec.getter().apply(row), op, literal);
        }
    }

    private record Combine(Node left, String op, Node right) implements Node {
        @Override
        public <T> Condition<T> bind(Map<String, Field<T>> fields) {
            Condition<T> a = left.bind(fields);
            Condition<T> b = right.bind(fields);
            return op.equals("&") ? row -> and(a.test(row), b.test(row)) : row -> or(a.test(row), b.test(row));
        }
    }

    private record Not(Node inner) implements Node {
        @Override
        public <T> Condition<T> bind(Map<String, Field<T>> fields) {
            Condition<T> a = inner.bind(fields);
            return row -> {
                Boolean v = a.test(row);
                return v == null ? null : !v;
            };
        }
    }

    private static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        return a == null || b == null ? null : true;
    }

    private static Boolean or(Boolean a, Boolean b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return true;
        }
        return a == null || b == null ? null : false;
    }

    /** lark wraps an error raised while transforming a rule; the manager then prefixes its own words. */
    private static GqlError visitError(String rule, String error) {
        return failure("Query filter parsing error: Error trying to process rule \"" + rule + "\":\n\n" + error);
    }

    /** The literals null, true and false. */
    private enum Atom { NULL, TRUE, FALSE }

    /** The literal as the field's converter reads it (enums by value, case-insensitively; dates parsed). */
    private static Object literalFor(Field<?> spec, Object value) {
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>();
            list.forEach(item -> items.add(literalFor(spec, item)));
            return items;
        }
        if (value instanceof Atom) {
            return value;
        }
        return switch (spec.kind()) {
            case ENUM -> spec.enumValues().stream().filter(v -> v.equalsIgnoreCase(String.valueOf(value))).findFirst()
                    .orElseThrow(() -> visitError("binary_expr", pyRepr(value) + " is not a valid " + spec.enumName()));
            case DATETIME -> {
                Instant instant = instant(String.valueOf(value));
                if (instant == null) {
                    throw visitError("binary_expr", "String does not contain a date: " + value);
                }
                yield instant;
            }
            default -> value;
        };
    }

    private static String pyRepr(Object value) {
        return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }

    private static Boolean compare(Field<?> spec, Object column, String op, Object literal) {
        if (spec.kind() == Kind.STRING_ARRAY) {
            // The manager applies the comparison to every item and keeps the row if any matches.
            if (!(column instanceof Collection<?> items)) {
                return null;
            }
            boolean any = false;
            for (Object item : items) {
                any |= Boolean.TRUE.equals(compareScalar(Kind.STRING, item, op, literal));
            }
            return any;
        }
        return compareScalar(spec.kind(), column, op, literal);
    }

    private static Boolean compareScalar(Kind kind, Object column, String op, Object literal) {
        switch (op) {
            case "is", "isnot" -> {
                boolean is;
                if (literal == Atom.NULL) {
                    is = column == null;
                } else if (literal == Atom.TRUE || literal == Atom.FALSE) {
                    is = Boolean.valueOf(literal == Atom.TRUE).equals(column);
                } else {
                    is = column != null && Objects.equals(normal(kind, column), normal(kind, literal));
                }
                return op.equals("is") == is;
            }
            case "==", "!=" -> {
                if (literal == Atom.NULL) {
                    return op.equals("==") == (column == null);
                }
                if (column == null) {
                    return null;
                }
                int c = order(kind, column, literal);
                return op.equals("==") == (c == 0);
            }
            case ">", ">=", "<", "<=" -> {
                if (column == null || literal == Atom.NULL) {
                    return null;
                }
                int c = order(kind, column, literal);
                return switch (op) {
                    case ">" -> c > 0;
                    case ">=" -> c >= 0;
                    case "<" -> c < 0;
                    default -> c <= 0;
                };
            }
            case "in" -> {
                if (column == null) {
                    return null;
                }
                List<?> options = literal instanceof List<?> list ? list : List.of(literal);
                return options.stream().anyMatch(o -> o != Atom.NULL && order(kind, column, o) == 0);
            }
            case "like", "ilike", "contains" -> {
                if (column == null || literal == Atom.NULL) {
                    return null;
                }
                String pattern = String.valueOf(literal);
                if (op.equals("contains")) {
                    pattern = "%" + pattern + "%";
                }
                return like(String.valueOf(normal(kind, column)), pattern, op.equals("ilike"));
            }
            default -> throw failure("Query filter parsing error: Unknown operator: " + op);
        }
    }

    /** The value in a comparable form for its kind. */
    private static Object normal(Kind kind, Object value) {
        if (value == Atom.TRUE || value == Atom.FALSE) {
            return value == Atom.TRUE;
        }
        return switch (kind) {
            case NUMBER -> value instanceof Number n ? new BigDecimal(n.toString()) : decimal(String.valueOf(value));
            case DATETIME -> value instanceof Instant i ? i : instant(String.valueOf(value));
            case UUID, ENUM -> String.valueOf(value).toLowerCase(Locale.ROOT);
            case BOOLEAN -> value instanceof Boolean b ? b : Boolean.valueOf(String.valueOf(value));
            default -> value instanceof Boolean ? value : String.valueOf(value);
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int order(Kind kind, Object a, Object b) {
        Object x = normal(kind, a);
        Object y = normal(kind, b);
        if (x == null || y == null) {
            return x == y ? 0 : x == null ? 1 : -1;
        }
        if (x.getClass() != y.getClass()) {
            return String.valueOf(x).compareTo(String.valueOf(y));
        }
        return ((Comparable) x).compareTo(y);
    }

    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** ISO 8601 as the manager's dateutil reads it: with or without an offset (then UTC), or a bare date. */
    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }

    /** SQL LIKE: {@code %} any run, {@code _} one character, backslash escapes. */
    static boolean like(String value, String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags).matcher(value).matches();
    }

    // --- order ----------------------------------------------------------------------------------

    /**
     * Parses {@code expression} ({@code +name}, {@code -created_at}, comma-separated; no sign is
     * ascending) into a comparator. NULLs sort last ascending and first descending, as in
     * PostgreSQL. An empty expression orders nothing.
     */
    static <T> Comparator<T> order(String expression, Map<String, Field<T>> fields) {
        Comparator<T> comparator = (a, b) -> 0;
        String trimmed = expression.trim();
        if (trimmed.isEmpty()) {
            return comparator;
        }
        for (String part : trimmed.split(",", -1)) {
            String item = part.trim();
            boolean descending = false;
            if (item.startsWith("+") || item.startsWith("-")) {
                descending = item.startsWith("-");
                item = item.substring(1).trim();
            }
            if (!item.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw failure("Query ordering parsing error: unexpected input in " + pyRepr(expression));
            }
            Field<T> spec = fields.get(item);
            if (spec == null) {
                throw failure("Query ordering parsing error: Error trying to process rule \"col\":\n\n"
                        + "('Unknown/unsupported field name', '" + item + "')");
            }
            boolean desc = descending;
            Comparator<T> one = (a, b) -> {
                Object x = spec.getter().apply(a);
                Object y = spec.getter().apply(b);
                if (x == null || y == null) {
                    // NULLS LAST ascending, NULLS FIRST descending: nulls are the largest values.
                    int c = x == y ? 0 : x == null ? 1 : -1;
                    return desc ? -c : c;
                }
                int c = order(spec.kind() == Kind.STRING_ARRAY ? Kind.STRING : spec.kind(), x, y);
                return desc ? -c : c;
            };
            comparator = comparator.thenComparing(one);
        }
        return comparator;
    }

    // --- lexer and parser -----------------------------------------------------------------------

    private static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private record Token(String type, String text, int column) {
    }

    private static final List<String> WORD_OPS = List.of("contains", "isnot", "ilike", "like", "in", "is");

    private static final class Lexer {
        private final String text;
        private int at;

        Lexer(String text) {
            this.text = text;
        }

        List<Token> tokens() {
            List<Token> tokens = new ArrayList<>();
            boolean expectOp = false;
            while (true) {
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
                if (at >= text.length()) {
                    tokens.add(new Token("$END", "", at + 1));
                    return tokens;
                }
                int start = at;
                char c = text.charAt(at);
                if (expectOp) {
                    Token op = binaryOperator(start);
                    tokens.add(op);
                    expectOp = false;
                    continue;
                }
                if (c == '"') {
                    tokens.add(new Token("STRING", string(), start + 1));
                } else if (c == '-' || c == '+' || Character.isDigit(c) || c == '.') {
                    tokens.add(new Token("NUMBER", number(), start + 1));
                } else if (Character.isLetter(c) || c == '_') {
                    String word = word();
                    Token previous = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
                    boolean inValue = previous != null && (previous.type().equals("OP") || previous.type().equals("[")
                            || previous.type().equals(","));
                    if (inValue) {
                        if (!word.equals("null") && !word.equals("true") && !word.equals("false")) {
                            throw unexpected(word, start);
                        }
                        tokens.add(new Token("ATOM", word, start + 1));
                    } else {
                        tokens.add(new Token("CNAME", word, start + 1));
                        expectOp = true;
                    }
                } else if ("&|".indexOf(c) >= 0) {
                    at++;
                    tokens.add(new Token("COMBINE", String.valueOf(c), start + 1));
                } else if (c == '!' && (at + 1 >= text.length() || text.charAt(at + 1) != '=')) {
                    at++;
                    tokens.add(new Token("!", "!", start + 1));
                } else if ("()[],".indexOf(c) >= 0) {
                    at++;
                    tokens.add(new Token(String.valueOf(c), String.valueOf(c), start + 1));
                } else {
                    throw unexpected(String.valueOf(c), start);
                }
            }
        }

        private Token binaryOperator(int start) {
            for (String op : List.of("==", "!=", ">=", "<=", ">", "<")) {
                if (text.startsWith(op, at)) {
                    at += op.length();
                    return new Token("OP", op, start + 1);
                }
            }
            for (String op : WORD_OPS) {
                if (text.startsWith(op, at)) {
                    int end = at + op.length();
                    if (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '_') {
                        at = end;
                        return new Token("OP", op, start + 1);
                    }
                }
            }
            throw unexpected(text.substring(at, Math.min(text.length(), at + 1)), at);
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '\\' && at + 1 < text.length()) {
                    // The manager unescapes only \" (the rest stays as written).
                    char next = text.charAt(at + 1);
                    if (next == '"') {
                        out.append('"');
                    } else {
                        out.append(c).append(next);
                    }
                    at += 2;
                    continue;
                }
                if (c == '"') {
                    at++;
                    return out.toString();
                }
                out.append(c);
                at++;
            }
            throw new SyntaxError("No terminal matches '\"' in the current parser context, at line 1 col "
                    + (text.lastIndexOf('"') + 1));
        }

        private String number() {
            int start = at;
            if (text.charAt(at) == '-' || text.charAt(at) == '+') {
                at++;
            }
            while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.'
                    || text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
                at++;
            }
            String number = text.substring(start, at);
            if (decimal(number) == null) {
                throw unexpected(number, start);
            }
            return number;
        }

        private String word() {
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            return text.substring(start, at);
        }

        private SyntaxError unexpected(String what, int where) {
            return new SyntaxError("No terminal matches '" + what + "' in the current parser context, at line 1 col "
                    + (where + 1));
        }
    }

    /** Recursive descent with the manager's LALR choices: {@code & |} group right, {@code !} takes the rest. */
    private static final class Parser {
        private final List<Token> tokens;
        private int at;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        Node expression() {
            Node node = combined();
            expect("$END");
            return node;
        }

        private Node combined() {
            Node left = primary();
            if (peek().type().equals("COMBINE")) {
                String op = next().text();
                return new Combine(left, op, combined());
            }
            return left;
        }

        private Node primary() {
            Token token = next();
            switch (token.type()) {
                case "!" -> {
                    return new Not(combined());
                }
                case "(" -> {
                    Node inner = combined();
                    expect(")");
                    return inner;
                }
                case "CNAME" -> {
                    Token op = next();
                    if (!op.type().equals("OP")) {
                        throw unexpected(op);
                    }
                    return new Compare(token.text(), op.text(), value());
                }
                default -> throw unexpected(token);
            }
        }

        private Object value() {
            Token token = next();
            return switch (token.type()) {
                case "STRING" -> token.text();
                case "NUMBER" -> token.text().contains(".") ? (Object) Double.valueOf(token.text())
                        : new BigDecimal(token.text()).toBigInteger();
                case "ATOM" -> Atom.valueOf(token.text().toUpperCase(Locale.ROOT));
                case "[" -> {
                    List<Object> items = new ArrayList<>();
                    if (peek().type().equals("]")) {
                        next();
                        yield items;
                    }
                    while (true) {
                        items.add(value());
                        Token separator = next();
                        if (separator.type().equals("]")) {
                            yield items;
                        }
                        if (!separator.type().equals(",")) {
                            throw unexpected(separator);
                        }
                    }
                }
                default -> throw unexpected(token);
            };
        }

        private Token peek() {
            return tokens.get(at);
        }

        private Token next() {
            Token token = tokens.get(at);
            if (!token.type().equals("$END")) {
                at++;
            }
            return token;
        }

        private void expect(String type) {
            Token token = next();
            if (!token.type().equals(type)) {
                throw unexpected(token);
            }
        }

        private SyntaxError unexpected(Token token) {
            return new SyntaxError(token.type().equals("$END") ? "Unexpected end-of-input."
                    : "Unexpected token Token('" + token.type() + "', '" + token.text() + "') at line 1, column "
                    + token.column() + ".");
        }
    }
}
