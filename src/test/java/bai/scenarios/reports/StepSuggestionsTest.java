package bai.scenarios.reports;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StepSuggestionsTest {
    private static StepSuggestions suggestions;

    @BeforeAll
    static void theSuitesOwnSteps() throws IOException {
        suggestions = new SuiteGlue().suggestions();
    }

    /** Near misses a QA engineer might write, from the existing features, each with the existing step it should be steered to. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            I ask my roles                                                 | {actor} {attempt}ask(s) for her/his/their/my roles
            Alice signs in using her password                              | {actor} {attempt}sign(s) in with her/his/their/my password
            Alice logs in with her password                                | {actor} {attempt}sign(s) in with her/his/their/my password
            Alice makes a domain                                           | {actor} {attempt}create(s) a domain
            the call is rejected as unauthenticated                        | the call is refused {refusal}
            Alice starts an interactive python session                     | {actor} {attempt}start(s) an interactive {string} session
            the session ends as TERMINATED because of "task-finished"      | the session ends as {word} because {string}
            I deleted the domain                                           | I {attempt}delete the domain
            Alice runs the code "print(1)"                                 | {actor} {attempt}run(s) the snippet {string}
            the output is "42"                                             | the output reads {string}
            my clock is 20 minutes behind                                  | my clock is {clockDrift}
            the manager recognizes me                                      | the manager recognises me
            Alice is member of the project                                 | {actor} is a member of {projects}
            I purge a domain                                               | I {attempt}purge the domain
            """)
    void aNearMissIsSteeredFirstToTheStepItMeant(String step, String meant) {
        List<StepSuggestions.Suggestion> closest = suggestions.closest(step, 3);

        assertThat(closest).extracting(StepSuggestions.Suggestion::pattern).first().isEqualTo(meant);
    }

    @Test
    void aSynonymNoSpellingCanTellFindsTheStepAmongItsNeighbours() {
        // "delete" and "destroy" share no spelling: the step is offered with the other things one tries on a session
        assertThat(suggestions.closest("Bob tries to delete Alice's session", 3))
                .extracting(StepSuggestions.Suggestion::pattern)
                .contains("{actor} {attempt}destroy(s) {actor}'s session", "{actor} {attempt}rename(s) {actor}'s session");
    }

    @Test
    void onlyStepsNearTheBestAreOffered() {
        assertThat(suggestions.closest("Alice asks for her role", 3)).extracting(StepSuggestions.Suggestion::pattern)
                .containsExactly("{actor} {attempt}ask(s) for her/his/their/my roles");
    }

    @Test
    void nothingIsOfferedForAStepLikeNoOther() {
        assertThat(suggestions.closest("the moon is made of green cheese", 3)).isEmpty();
    }

    @Test
    void aParameterMatchesOnlyWhatItsTypeMatches() {
        StepSuggestions twoSteps = new StepSuggestions(List.of(
                StepPattern.cucumberExpression("{actor} has {int} keypair(s)", Map.of("actor", List.of("I|[A-Z][a-z]+"))),
                StepPattern.cucumberExpression("{actor} has a {word} keypair", Map.of("actor", List.of("I|[A-Z][a-z]+")))));

        assertThat(twoSteps.closest("Alice has 2 keypair", 1)).extracting(StepSuggestions.Suggestion::pattern)
                .containsExactly("{actor} has {int} keypair(s)");
        assertThat(twoSteps.closest("Alice has a second keypair", 1)).extracting(StepSuggestions.Suggestion::pattern)
                .containsExactly("{actor} has a {word} keypair");
    }

    @Test
    void aRegularExpressionPatternIsReadAsGroupsBetweenWords() {
        StepSuggestions regex = new StepSuggestions(List.of(StepPattern.regularExpression("^I have (\\d+) cukes? in my belly$")));

        assertThat(regex.closest("I have 5 cukes in my tummy", 1)).extracting(StepSuggestions.Suggestion::pattern)
                .containsExactly("^I have (\\d+) cukes? in my belly$");
    }

    @Test
    void alternativesAndOptionalTextAreSpellings() {
        assertThat(StepPattern.spellings("her/his/their")).containsExactly("her", "his", "their");
        assertThat(StepPattern.spellings("receive(s)")).containsExactly("receives", "receive");
        assertThat(StepPattern.spellings("a(n)")).containsExactly("an", "a");
    }
}
