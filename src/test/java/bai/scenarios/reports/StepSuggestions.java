package bai.scenarios.reports;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The existing steps closest to a step no step definition matches ("did you mean …?").
 *
 * <p>A step is compared with each pattern word by word, as an edit distance over words in which a
 * parameter stands for the words it would match: {@code I ask for my roles} against
 * {@code {actor} asks for her/his/their roles} costs little for "I" (an {@code {actor}}), a little
 * for "ask" against "asks" (a near spelling, by Jaro-Winkler similarity), nothing for "for" and
 * "roles" and half a word for "my" (small words say little); any other missing or extra word
 * costs one. Of the 15 near misses in {@code StepSuggestionsTest}, this puts the step meant first
 * 15 times; comparing whole strings instead (parameters and quoted or capitalised words of the
 * step replaced by a placeholder) put it first 13 times with Levenshtein or Jaro-Winkler and 10
 * times with the cosine of word counts, e.g. "the call is rejected as unauthenticated" went to
 * another step that merely shares more letters.
 */
final class StepSuggestions {
    /** Below this score, a pattern is not worth suggesting. */
    static final double MINIMUM_SCORE = 0.5;
    /** Patterns much further away than the best one are noise beside it. */
    static final double MARGIN = 0.25;
    private static final double WORD = 1.0;
    /** Small words ("a", "the", "her") say little about which step was meant: leaving one out or swapping it costs half a word. */
    private static final double SMALL_WORD = 0.5;
    private static final Set<String> SMALL_WORDS = Set.of("a", "an", "the", "of", "to", "in", "on", "at", "for", "with",
            "is", "are", "be", "and", "it", "its", "i", "me", "my", "her", "his", "their", "she", "he", "they", "'", "s");
    /** A parameter matching its words is good evidence, though less than the same literal word. */
    private static final double PARAMETER_MATCH = 0.1;
    /** A parameter given a word it cannot match (e.g. a name where a number goes). */
    private static final double PARAMETER_MISMATCH = 0.6;
    /** Two spellings closer than this (Jaro-Winkler) are the same word misspelt or inflected ("ask", "asks"). */
    private static final double NEAR_SPELLING = 0.8;
    private static final int LONGEST_PARAMETER = 8;
    /** A step's words: a quoted string as one word, a word, or one punctuation mark. */
    private static final Pattern STEP_TOKEN = Pattern.compile("\"[^\"]*\"|(?<=^|\\s)'[^']*'(?=\\s|$)|[\\p{L}\\p{N}_]+|[^\\s]");
    private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

    record Suggestion(String pattern, double score) {
    }

    private final List<StepPattern> patterns;

    StepSuggestions(List<StepPattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** Up to {@code limit} patterns closest to the step text, best first; none if nothing is close. */
    List<Suggestion> closest(String stepText, int limit) {
        List<Word> words = words(stepText);
        List<Suggestion> ranked = new ArrayList<>();
        for (StepPattern pattern : patterns) {
            double score = score(stepText, words, pattern.tokens());
            if (score >= MINIMUM_SCORE) {
                ranked.add(new Suggestion(pattern.source(), score));
            }
        }
        ranked.sort(Comparator.comparingDouble(Suggestion::score).reversed().thenComparing(Suggestion::pattern));
        double cut = ranked.isEmpty() ? 0 : ranked.get(0).score() - MARGIN;
        return ranked.stream().distinct().filter(s -> s.score() >= cut).limit(limit).toList();
    }

    /** 1 for a perfect match, falling with the cost of the cheapest alignment relative to the longer side. */
    static double score(String text, List<Word> words, List<StepPattern.Token> tokens) {
        int required = (int) tokens.stream().filter(t -> !t.isOptional()).count();
        double longer = Math.max(1, Math.max(words.size(), required));
        return 1 - cost(text, words, tokens) / longer;
    }

    /** Edit distance over words: cost[i][j] aligns the step's words from i with the pattern's tokens from j. */
    private static double cost(String text, List<Word> words, List<StepPattern.Token> tokens) {
        int n = words.size();
        int m = tokens.size();
        double[][] cost = new double[n + 1][m + 1];
        for (int i = n; i >= 0; i--) {
            for (int j = m; j >= 0; j--) {
                if (i == n && j == m) {
                    continue;
                }
                double best = Double.MAX_VALUE;
                if (i < n) {
                    best = cost[i + 1][j] + weight(words.get(i).lower()); // a word the pattern does not have
                }
                if (j < m) {
                    StepPattern.Token token = tokens.get(j);
                    best = Math.min(best, cost[i][j + 1] + weight(token)); // a token the step leaves out
                    if (i < n && !token.isParameter()) {
                        best = Math.min(best, cost[i + 1][j + 1] + respelling(words.get(i).lower(), token));
                    }
                    if (i < n && token.isParameter()) {
                        for (int k = 1; k <= Math.min(LONGEST_PARAMETER, n - i); k++) {
                            String span = text.substring(words.get(i).start(), words.get(i + k - 1).end());
                            if (token.parameter().matcher(span).matches()) {
                                best = Math.min(best, cost[i + k][j + 1] + PARAMETER_MATCH);
                            } else if (k == 1) {
                                best = Math.min(best, cost[i + 1][j + 1] + PARAMETER_MISMATCH);
                            }
                        }
                    }
                }
                cost[i][j] = best;
            }
        }
        return cost[0][0];
    }

    private static double weight(String word) {
        return SMALL_WORDS.contains(word) ? SMALL_WORD : WORD;
    }

    private static double weight(StepPattern.Token token) {
        if (token.isOptional()) {
            return 0;
        }
        return token.isParameter() || token.spellings().stream().noneMatch(SMALL_WORDS::contains) ? WORD : SMALL_WORD;
    }

    /** 0 for one of the token's spellings, a little for a near spelling, a word (half for a small one) for another word. */
    private static double respelling(String word, StepPattern.Token token) {
        double best = Math.max(weight(word), weight(token));
        for (String spelling : token.spellings()) {
            if (spelling.isEmpty()) {
                continue;
            }
            double similarity = JARO_WINKLER.apply(word, spelling);
            if (similarity == 1.0) {
                return 0;
            }
            if (similarity >= NEAR_SPELLING) {
                best = Math.min(best, 1 - similarity);
            }
        }
        return best;
    }

    record Word(String lower, int start, int end) {
    }

    static List<Word> words(String stepText) {
        List<Word> words = new ArrayList<>();
        Matcher token = STEP_TOKEN.matcher(stepText);
        while (token.find()) {
            words.add(new Word(token.group().toLowerCase(), token.start(), token.end()));
        }
        return words;
    }
}
