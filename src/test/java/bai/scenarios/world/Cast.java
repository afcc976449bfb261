package bai.scenarios.world;

import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.Forgery;
import bai.scenarios.config.SuiteTarget;
import bai.scenarios.fixtures.AdminFixtures.NewUser;
import bai.scenarios.timing.ScenarioClock;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The people of one scenario. "I" is the keypair the run was configured with (a superadmin on the
 * emulator); named actors ("Alice") are created by steps through the fixtures and get their own
 * signed clients; "she"/"he" mean the actor named last. Fresh for every scenario (PicoContainer).
 */
public final class Cast {
    public static final String ME = "I";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SuiteTarget target;
    private final Evidence evidence;
    private final ScenarioClock clock;
    private final Map<String, Actor> actors = new LinkedHashMap<>();
    private String lastNamed;

    public Cast(Evidence evidence, ScenarioClock clock) {
        this.target = SuiteTarget.current();
        this.evidence = evidence;
        this.clock = clock;
    }

    /** The configured keypair's owner. */
    public Actor me() {
        return actors.computeIfAbsent(ME, name -> new Actor(name, client(target.configuredCredentials()),
                Optional.empty()));
    }

    /** An actor by name ("I", "Alice") or pronoun ("she", "he", "they"). */
    public Actor actor(String nameOrPronoun) {
        if (nameOrPronoun.equals(ME) || nameOrPronoun.equalsIgnoreCase("me")) {
            return me();
        }
        String name = switch (nameOrPronoun.toLowerCase()) {
            case "she", "he", "they", "her", "him", "them" -> lastNamed;
            default -> nameOrPronoun;
        };
        Actor actor = name == null ? null : actors.get(name);
        if (actor == null) {
            throw new IllegalStateException("nobody called " + nameOrPronoun + " is in this scenario yet; introduce"
                    + " them with a Given step first");
        }
        lastNamed = name;
        return actor;
    }

    /** Introduces a named actor with the account the fixtures created for them. */
    public Actor introduce(String name, NewUser account) {
        Credentials keypair = new Credentials(account.created().keypair().accessKey(),
                account.created().keypair().secretKey());
        Actor actor = new Actor(name, client(keypair), Optional.of(account));
        actors.put(name, actor);
        lastNamed = name;
        return actor;
    }

    /** From now on, {@code name} signs with another keypair (e.g. one obtained by signing in). */
    public Actor rekey(String name, Credentials keypair) {
        Actor current = actor(name);
        Actor rekeyed = new Actor(current.name(), current.client().as(keypair), current.account());
        actors.put(current.name(), rekeyed);
        return rekeyed;
    }

    /** From now on, "I" sends requests with this defect (e.g. a skewed clock). */
    public void makeMyRequests(Forgery forgery) {
        Actor mine = me();
        actors.put(ME, new Actor(ME, mine.client().withForgery(forgery), mine.account()));
    }

    /** Someone holding a well-formed keypair that the manager never issued. */
    public Actor stranger() {
        String suffix = HexFormat.of().formatHex(RANDOM.generateSeed(6)).toUpperCase();
        Credentials unknown = new Credentials("AKIATESTING" + suffix, HexFormat.of().formatHex(RANDOM.generateSeed(20)));
        return new Actor("a stranger", client(unknown), Optional.empty());
    }

    /** A client for any keypair on this target, recording into this scenario's evidence. */
    public ManagerClient client(Credentials keypair) {
        return target.client(keypair, evidence::record, clock);
    }
}
