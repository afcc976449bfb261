package bai.scenarios.world;

import bai.scenarios.client.ManagerClient;
import bai.scenarios.client.transport.Credentials;
import bai.scenarios.client.transport.Forgery;
import bai.scenarios.config.SuiteTarget;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The people of one scenario. "I" is the keypair the run was configured with; a stranger holds
 * a keypair the manager never issued. Created fresh for every scenario by PicoContainer.
 */
public final class Cast {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SuiteTarget target;
    private final Evidence evidence;
    private Actor me;

    public Cast(Evidence evidence) {
        this.target = SuiteTarget.current();
        this.evidence = evidence;
    }

    /** The configured keypair's owner. */
    public Actor me() {
        if (me == null) {
            me = new Actor("I", target.client(target.configuredCredentials(), evidence::record));
        }
        return me;
    }

    /** From now on, "I" sends requests with this defect (e.g. a skewed clock). */
    public void makeMyRequests(Forgery forgery) {
        ManagerClient mine = me().client();
        me = new Actor("I", mine.withForgery(forgery));
    }

    /** Someone holding a well-formed keypair that the manager never issued. */
    public Actor stranger() {
        String suffix = HexFormat.of().formatHex(RANDOM.generateSeed(6)).toUpperCase();
        Credentials unknown = new Credentials("AKIATESTING" + suffix, HexFormat.of().formatHex(RANDOM.generateSeed(20)));
        return new Actor("a stranger", target.client(unknown, evidence::record));
    }
}
