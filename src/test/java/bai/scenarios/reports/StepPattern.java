package bai.scenarios.reports;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A step definition's pattern as a sequence of tokens to compare a step's words with: literal
 * words (with their alternatives: {@code her/his/their}, {@code receive(s)}) and parameters (with
 * the regular expression of what they match). Understands Cucumber expressions; a regular
 * expression pattern is read as its capture groups (parameters) between literal words.
 */
final class StepPattern {
    /** Cucumber's built-in parameter types and what they match. */
    private static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("int", "[+-]?\\d+"), Map.entry("byte", "[+-]?\\d+"), Map.entry("short", "[+-]?\\d+"),
            Map.entry("long", "[+-]?\\d+"), Map.entry("biginteger", "[+-]?\\d+"),
            Map.entry("float", "[+-]?(?:\\d+(?:[.,]\\d*)?|[.,]\\d+)(?:[eE][+-]?\\d+)?"),
            Map.entry("double", "[+-]?(?:\\d+(?:[.,]\\d*)?|[.,]\\d+)(?:[eE][+-]?\\d+)?"),
            Map.entry("bigdecimal", "[+-]?(?:\\d+(?:[.,]\\d*)?|[.,]\\d+)(?:[eE][+-]?\\d+)?"),
            Map.entry("word", "[^\\s]+"),
            Map.entry("string", "\"[^\"]*\"|'[^']*'"),
            Map.entry("", ".*"));
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]*)}");
    /** A literal word with its alternation and optional parts ({@code receive(s)}, {@code is/are}), or one punctuation mark. */
    private static final Pattern LITERAL_TOKEN = Pattern.compile("[\\p{L}\\p{N}_()/]+|[^\\s]");

    /** One token: a literal (its spellings, lower case; optional if one spelling is empty) or a parameter. */
    record Token(Set<String> spellings, Pattern parameter) {
        boolean isParameter() {
            return parameter != null;
        }

        boolean isOptional() {
            return !isParameter() && spellings.contains("");
        }
    }

    private final String source;
    private final List<Token> tokens;

    private StepPattern(String source, List<Token> tokens) {
        this.source = source;
        this.tokens = List.copyOf(tokens);
    }

    String source() {
        return source;
    }

    List<Token> tokens() {
        return tokens;
    }

    /**
     * @param parameterTypes the suite's own parameter types by name, with their regular expressions
     *                       (the ParameterType messages); Cucumber's built-in types are known here
     */
    static StepPattern cucumberExpression(String source, Map<String, List<String>> parameterTypes) {
        List<Token> tokens = new ArrayList<>();
        String text = source.replaceAll("\\\\(.)", "$1"); // escapes (\( \{ \/) are rare; read them as the plain character
        Matcher parameter = PARAMETER.matcher(text);
        int literalStart = 0;
        while (parameter.find()) {
            literals(text.substring(literalStart, parameter.start()), tokens);
            tokens.add(new Token(Set.of(), Pattern.compile(regex(parameter.group(1), parameterTypes))));
            literalStart = parameter.end();
        }
        literals(text.substring(literalStart), tokens);
        return new StepPattern(source, tokens);
    }

    static StepPattern regularExpression(String source) {
        List<Token> tokens = new ArrayList<>();
        String text = source.replaceFirst("^\\^", "").replaceFirst("\\$$", "");
        int depth = 0;
        int groupStart = -1;
        int literalStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(' && depth++ == 0) {
                literals(text.substring(literalStart, i).replaceAll("\\\\(.)", "$1"), tokens);
                groupStart = i + 1;
            } else if (c == ')' && depth > 0 && --depth == 0) {
                String group = text.substring(groupStart, i).replaceFirst("^\\?:", "");
                tokens.add(new Token(Set.of(), Pattern.compile(group)));
                literalStart = i + 1;
            }
        }
        literals(text.substring(literalStart).replaceAll("\\\\(.)", "$1"), tokens);
        return new StepPattern(source, tokens);
    }

    private static String regex(String name, Map<String, List<String>> parameterTypes) {
        List<String> own = parameterTypes.get(name);
        if (own != null && !own.isEmpty()) {
            return String.join("|", own.stream().map(r -> "(?:" + r + ")").toList());
        }
        return BUILT_IN.getOrDefault(name, ".*");
    }

    private static void literals(String text, List<Token> tokens) {
        Matcher word = LITERAL_TOKEN.matcher(text);
        while (word.find()) {
            tokens.add(new Token(spellings(word.group().toLowerCase()), null));
        }
    }

    /** "her/his/their" → her, his, their; "receive(s)" → receive, receives; "(really)" → really and "". */
    static Set<String> spellings(String word) {
        Set<String> spellings = new LinkedHashSet<>();
        for (String alternative : word.split("/", -1)) {
            expandOptional(alternative, spellings);
        }
        return spellings;
    }

    private static void expandOptional(String text, Set<String> into) {
        int open = text.indexOf('(');
        int close = open < 0 ? -1 : text.indexOf(')', open);
        if (close < 0) {
            into.add(text);
            return;
        }
        String before = text.substring(0, open);
        String after = text.substring(close + 1);
        expandOptional(before + text.substring(open + 1, close) + after, into);
        expandOptional(before + after, into);
    }
}
