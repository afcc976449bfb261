package bai.scenarios.client.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * What carries a finished (checked, signed) request to the target and brings the answer back.
 * Two exist, interchangeable: the JDK's {@code HttpClient} (the default: ~0.3 ms a request) and
 * REST Assured (~2–4 ms a request, most of it Groovy dispatch; README, "The client's cost per
 * request"). Choose with {@code -Dbai.client.transport=jdk|rest-assured}.
 */
public interface Transport {
    /**
     * Sends the request as it is: its URI, its headers in order (the JDK sets {@code Host} itself,
     * to the same value the signer put there), its body.
     *
     * @throws IOException when the target cannot be reached or does not answer within {@code timeout}
     */
    Received send(OutgoingRequest request, Duration timeout) throws IOException;

    /** The transports, by the name {@code bai.client.transport} takes. */
    enum Kind {
        JDK("jdk"), REST_ASSURED("rest-assured");

        private final String setting;

        Kind(String setting) {
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }

        /** The transport this name stands for; null for an unknown name. */
        public static Kind named(String name) {
            for (Kind kind : values()) {
                if (kind.setting.equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return kind;
                }
            }
            return null;
        }

        public Transport transport() {
            return this == JDK ? JdkTransport.INSTANCE : RestAssuredTransport.INSTANCE;
        }
    }
}
