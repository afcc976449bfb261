package bai.scenarios.selection;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * What the tag expression selected in this run, as {@link TagSelectionFilter} decided it: told on
 * the console and in {@code run-info.json}. Keyed by test id, because a launcher may plan the same
 * tests more than once.
 */
public final class TagSelection {
    private static final TagSelection THIS_RUN = new TagSelection();

    private final Map<String, Boolean> selectedById = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<String>> tagsOfSelected = new ConcurrentHashMap<>();
    private final Set<String> tagsSeen = new ConcurrentSkipListSet<>();
    private volatile String expression;

    public static TagSelection ofThisRun() {
        return THIS_RUN;
    }

    public void record(String expression, String testId, java.util.List<String> tags, boolean selected) {
        this.expression = expression;
        tags.forEach(tagsSeen::add);
        selectedById.put(testId, selected);
        if (selected) {
            tagsOfSelected.put(testId, java.util.List.copyOf(tags));
        }
    }

    /** A scenario that runs because no tag expression applies (it is not counted as selected by one). */
    public void recordUnfiltered(String testId, java.util.List<String> tags) {
        tags.forEach(tagsSeen::add);
        tagsOfSelected.put(testId, java.util.List.copyOf(tags));
    }

    /** How many of the scenarios that will run carry {@code tag} (e.g. "@destructive"). */
    public int runningWith(String tag) {
        return (int) tagsOfSelected.values().stream().filter(tags -> tags.contains(tag)).count();
    }

    public Optional<String> expression() {
        return Optional.ofNullable(expression);
    }

    public int selected() {
        return (int) selectedById.values().stream().filter(Boolean::booleanValue).count();
    }

    public int scenarios() {
        return selectedById.size();
    }

    /**
     * "Tag expression '@auth' selected 14 of 95 scenarios", or empty when no expression was applied;
     * when it selected none, also the tags there are, since a misspelt tag is the likely cause.
     */
    public Optional<String> describe() {
        return expression().map(e -> "Tag expression '" + e + "' selected " + selected() + " of " + scenarios()
                + " scenario" + (scenarios() == 1 ? "" : "s")
                + (selected() == 0 ? "; there is nothing to run. The scenarios' tags are: " + String.join(" ", tagsSeen) : ""));
    }
}
