package bai.scenarios.steps;

import bai.scenarios.client.CallRefused;
import bai.scenarios.client.GraphQLRejection;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Why the manager refuses a call, in the words scenarios use ("Then the call is refused …"), and
 * the answers of the manager that mean it: an HTTP status with a problem type, or a GraphQL error
 * code. The manager's words are consulted only where it offers nothing else: a legacy mutation's
 * {@code ok: false}, and GraphQL's {@code api_parsing_invalid-parameters}, which the manager uses
 * for duplicates, policies still in use and bad values alike.
 */
public enum Refusal {
    UNAUTHENTICATED("as unauthenticated", Answer.rest(401, "auth-failed")),
    CLOCK_OUT_OF_SYNC("because the clocks are out of sync", Answer.rest(400, "invalid-auth-params")),
    UNSUPPORTED_API_VERSION("as speaking an unsupported API version",
            Answer.rest(400, "generic-bad-request").saying("API version")),
    NOT_PERMITTED("as not permitted", Answer.rest(403, "*"), Answer.graphql("*_forbidden"),
            Answer.notOk("no permission")),
    NOT_FOUND("as unknown", Answer.rest(404, "*"), Answer.graphql("*_not-found")),
    DUPLICATE("as a duplicate", Answer.rest(400, "session-already-exists"),
            Answer.rest(400, "api_parsing_invalid-parameters").saying("Duplicated", "already exists"),
            Answer.rest(400, "invalid-api-params").saying("Duplicated", "already exists"),
            Answer.rest(409, "vfolder-grant-already-exists"), Answer.rest(409, "vfolder-already-exists"),
            Answer.graphql("*_create_conflict"),
            Answer.graphql("api_parsing_invalid-parameters").saying("already exists")),
    STILL_IN_USE("because it is still in use", Answer.rest(400, "vfolder-deletion-not-allowed"),
            Answer.graphql("*_purge_conflict"),
            Answer.graphql("api_parsing_invalid-parameters").saying("still in use", "still used"),
            Answer.notOk("default access key")),
    WRONG_STATE("as not possible in its current state", Answer.rest(409, "*"),
            Answer.rest(400, "vfolder-filter-status-failed")),
    INVALID("as invalid", Answer.rest(400, "invalid-api-params").except("Duplicated", "already exists",
                    "You cannot create more vfolders"),
            Answer.rest(400, "api_parsing_invalid-parameters").except("Duplicated", "already exists"),
            Answer.rest(400, "api_parsing_bad-request"),
            Answer.graphql("*_bad-request"),
            Answer.graphql("api_parsing_invalid-parameters").except("already exists", "still in use", "still used")),
    OVER_QUOTA("as over quota", Answer.rest(400, "quota-exceeded")),
    /*
     * More than the user resource policy allows: replicas for one model service, virtual folders,
     * login sessions at a time (max_concurrent_logins).
     */
    OVER_POLICY_LIMIT("as over the policy limit",
            Answer.rest(400, "api_parsing_invalid-parameters").saying("Cannot spawn more than"),
            Answer.rest(400, "invalid-api-params").saying("Cannot spawn more than", "You cannot create more vfolders"),
            Answer.rest(409, "active-login-session-exists")),
    RATE_LIMITED("as rate limited", Answer.rest(429, "rate-limit-exceeded")),
    /* The manager is frozen for maintenance: calls that need a running manager get 503 server-frozen. */
    MANAGER_FROZEN("because the manager is frozen", Answer.rest(503, "server-frozen")),
    TOO_LARGE("as too large", Answer.rest(413, "*"),
            Answer.rest(400, "generic-bad-request").saying("body size", "too large", "Too large")),
    /*
     * A path that leads out of a folder. The manager passes it to the storage proxy, which refuses
     * it (400 storage/subpath/invalid, or storage/invalid-api-params for an absolute path); the
     * manager answers any 400 from the proxy as its own 400 vfolder-operation-failed. A download
     * ticket is issued, and the proxy's GET answers 404 storage/file-not-found.
     */
    OUTSIDE_FOLDER("as outside the folder", Answer.rest(400, "vfolder-operation-failed"),
            Answer.rest(400, "storage/subpath/invalid"), Answer.rest(400, "storage/invalid-api-params"),
            Answer.rest(400, "invalid-api-params"), Answer.rest(404, "storage/file-not-found"));

    /** The alternatives for the {@code {refusal}} parameter type (RefusalTest keeps it in step with the phrases). */
    static final String PATTERN = "as unauthenticated|because the clocks are out of sync"
            + "|as speaking an unsupported API version|as not permitted|as unknown|as a duplicate"
            + "|because it is still in use|as not possible in its current state|as invalid|as over quota"
            + "|as over the policy limit|as rate limited|because the manager is frozen|as too large"
            + "|as outside the folder";

    private final String phrase;
    private final List<Answer> answers;

    Refusal(String phrase, Answer... answers) {
        this.phrase = phrase;
        this.answers = List.of(answers);
    }

    public boolean matches(CallRefused refusal) {
        return answers.stream().anyMatch(answer -> answer.matches(refusal));
    }

    public String phrase() {
        return phrase;
    }

    /** The manager's answers this phrase accepts, for the glossary. */
    public List<String> accepts() {
        return answers.stream().map(Answer::toString).toList();
    }

    static Refusal fromPhrase(String phrase) {
        return Arrays.stream(values()).filter(r -> r.phrase.equals(phrase)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown refusal: " + phrase));
    }

    /**
     * One way the manager says no: a REST status and problem type slug, a GraphQL error code, or a
     * legacy {@code ok: false} mutation; "*" in a code is a wildcard; words narrow it down where
     * the manager gives nothing else.
     */
    record Answer(Kind kind, int status, String code, List<String> saying, List<String> notSaying) {
        enum Kind { REST, GRAPHQL, NOT_OK }

        static Answer rest(int status, String problemType) {
            return new Answer(Kind.REST, status, problemType, List.of(), List.of());
        }

        static Answer graphql(String code) {
            return new Answer(Kind.GRAPHQL, 200, code, List.of(), List.of());
        }

        static Answer notOk(String... saying) {
            return new Answer(Kind.NOT_OK, 200, null, List.of(saying), List.of());
        }

        Answer saying(String... words) {
            return new Answer(kind, status, code, List.of(words), notSaying);
        }

        Answer except(String... words) {
            return new Answer(kind, status, code, saying, List.of(words));
        }

        boolean matches(CallRefused refusal) {
            boolean graphql = refusal instanceof GraphQLRejection;
            boolean notOk = graphql && ((GraphQLRejection) refusal).mutationNotOk();
            boolean shape = switch (kind) {
                case REST -> !graphql && refusal.status() == status
                        && (codeMatches(refusal.code()) || codeMatches(refusal.errorCode()));
                case GRAPHQL -> graphql && !notOk && codeMatches(refusal.code());
                case NOT_OK -> notOk;
            };
            String words = String.valueOf(refusal.reason()).toLowerCase(Locale.ROOT);
            return shape && (saying.isEmpty() || saying.stream().anyMatch(w -> words.contains(w.toLowerCase(Locale.ROOT))))
                    && notSaying.stream().noneMatch(w -> words.contains(w.toLowerCase(Locale.ROOT)));
        }

        private boolean codeMatches(String actual) {
            if (code.equals("*")) {
                return true;
            }
            if (actual == null) {
                return false;
            }
            Pattern pattern = Pattern.compile(Arrays.stream(code.split("\\*", -1)).map(Pattern::quote)
                    .collect(Collectors.joining(".*")));
            return pattern.matcher(actual).matches();
        }

        @Override
        public String toString() {
            String shape = switch (kind) {
                case REST -> "HTTP " + status + " `" + code + "` (problem type or error code)";
                case GRAPHQL -> "GraphQL error `" + code + "`";
                case NOT_OK -> "GraphQL mutation `ok: false`";
            };
            String said = saying.isEmpty() ? "" : " saying " + saying.stream().map(w -> "\"" + w + "\"")
                    .collect(Collectors.joining(" or "));
            String unsaid = notSaying.isEmpty() ? "" : " not saying " + notSaying.stream().map(w -> "\"" + w + "\"")
                    .collect(Collectors.joining(" or "));
            return shape + said + unsaid;
        }
    }
}
