package bai.scenarios.client.transport;

import java.util.Objects;

/** An API keypair. {@link #toString()} never shows the secret key. */
public record Credentials(String accessKey, String secretKey) {
    public Credentials {
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        SecretsSeen.remember(secretKey);
    }

    @Override
    public String toString() {
        return "Credentials[" + accessKey + ", secret key hidden]";
    }
}
