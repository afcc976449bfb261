package bai.scenarios.steps;

import bai.scenarios.client.CallRefused;
import bai.scenarios.client.GraphQLRejection;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Why the manager refuses a call, in the words scenarios use, and how the manager says so: an
 * HTTP status and problem type, or a GraphQL error code. Free-text titles and messages vary
 * between releases and are only consulted where the manager offers nothing else (a legacy
 * mutation's {@code ok: false}).
 */
public enum Refusal {
    UNAUTHENTICATED("as unauthenticated", r -> r.status() == 401 && "auth-failed".equals(r.code())),
    CLOCK_OUT_OF_SYNC("because the clocks are out of sync",
            r -> r.status() == 400 && "invalid-auth-params".equals(r.code())),
    UNSUPPORTED_API_VERSION("as speaking an unsupported API version",
            r -> r.status() == 400 && "generic-bad-request".equals(r.code())),
    NOT_PERMITTED("as not permitted", r -> r.status() == 403
            || "backendai_generic_forbidden".equals(r.code()) || "user_auth_forbidden".equals(r.code())
            || (r instanceof GraphQLRejection g && g.mutationNotOk() && g.reason().startsWith("no permission"))),
    DUPLICATE("as a duplicate", r -> r instanceof GraphQLRejection g && g.code() != null
            && (g.code().equals("api_parsing_invalid-parameters") || g.code().endsWith("_create_conflict"))),
    STILL_IN_USE("because it is still in use", r -> (r.code() != null && r.code().endsWith("_purge_conflict"))
            || (r instanceof GraphQLRejection g && g.mutationNotOk() && g.reason().contains("default access key"))),
    NOT_FOUND("as unknown", r -> r.status() == 404 || (r.code() != null && r.code().endsWith("_not-found"))),
    INVALID("as invalid", r -> r.status() == 400
            && ("invalid-api-params".equals(r.code()) || "generic-bad-request".equals(r.code()))),
    OVER_QUOTA("as over quota", r -> r.status() == 400 && "quota-exceeded".equals(r.code()));

    /** The alternatives for the {@code {refusal}} parameter type (RefusalTest keeps it in step with the phrases). */
    static final String PATTERN = "as unauthenticated|because the clocks are out of sync"
            + "|as speaking an unsupported API version|as not permitted|as a duplicate|because it is still in use"
            + "|as unknown|as invalid|as over quota";

    private final String phrase;
    private final Predicate<CallRefused> matcher;

    Refusal(String phrase, Predicate<CallRefused> matcher) {
        this.phrase = phrase;
        this.matcher = matcher;
    }

    public boolean matches(CallRefused refusal) {
        return matcher.test(refusal);
    }

    public String phrase() {
        return phrase;
    }

    static Refusal fromPhrase(String phrase) {
        return Arrays.stream(values()).filter(r -> r.phrase.equals(phrase)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown refusal: " + phrase));
    }
}
