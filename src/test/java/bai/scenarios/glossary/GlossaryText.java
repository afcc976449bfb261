package bai.scenarios.glossary;

/** The hand-written parts of the glossary: how to read it, and the words steps use for scenario state. */
final class GlossaryText {
    static final String HOW_TO_READ = """
            How to read an entry: the heading is the step's Cucumber expression. `{name}` is a parameter (see \
            [Parameter types](#parameter-types)); `(s)` is optional text (`start(s)` reads `start` or `starts`); \
            `her/his/their` means any one of the words. Given, When, Then and And/But are interchangeable to \
            Cucumber; the keyword shown is the one the step is meant for.

            Outcomes: a plain action must succeed, and a refusal fails the step with the manager's answer. Where \
            the manager may refuse an action on purpose, the step has a `{attempt}` form: write `tries to …` \
            (`I try to …`) and the outcome is recorded instead, for a following `Then the call is refused …`.

            When a step you need is missing, run the scenario anyway: the console and the report name the \
            closest existing steps.""";

    static final String STATE_WORDS = """
            Steps remember what a scenario made, so that later steps can refer to it:

            | words in a step | mean |
            | --- | --- |
            | `I`, `me`, `my` | the keypair the suite runs with (the superadmin on the emulator) |
            | a name (`Alice`) | the person introduced by a Given step with that name |
            | `she`, `he`, `they`, `her`, `his`, `their` | the last person named |
            | the person | the one named in the step |
            | the domain | the latest domain a step created (`Given a domain`) |
            | the other domain | the second domain (`Given another domain`) |
            | the project | the latest project a step created; `the first project`, `the second project` by order |
            | the new user, the new keypair | the latest user / keypair a step created |
            | her second keypair | the extra keypair `Given Alice has a second keypair` issued her |
            | the policy | the latest keypair resource policy a step created |
            | the user/project policy | the latest user or project resource policy a step created |
            | the session | the latest session anyone started |
            | her session | the latest session that person started; `her first/second/third session` by order |
            | the first session | the first of two sessions (`has two running … sessions`, or the one depended on) |
            | the run | the latest code run, followed to its end (all of its output kept) |
            | her folder, Alice's folder | the latest virtual folder that person created (or was given by a step) |
            | the project folder | the latest project folder a step created |
            | the clone | the folder the latest clone step made |
            | the invitation | the latest invitation to a folder a step sent or found |
            | that file | the file the latest sized upload sent (`uploads a 48 MiB file …`) |
            | the last call's outcome | what the manager answered the latest step that calls it (value or refusal) |""";

    static final String REFUSALS = """
            `Then the call is refused <phrase>` checks the outcome of the latest `tries to …` step. Each phrase \
            accepts the manager's answers below: an HTTP status with a problem type (REST), a GraphQL error code, \
            or a legacy GraphQL mutation answering `ok: false`. The manager's words are consulted only where it \
            gives nothing else.""";

    private GlossaryText() {
    }
}
