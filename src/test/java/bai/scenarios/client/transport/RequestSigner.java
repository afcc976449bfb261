package bai.scenarios.client.transport;

import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * Signs a request from its final URI, just before it is sent. Sets {@code Host} to the value that
 * goes on the wire (the endpoint's host, plus its port unless it is the scheme's default), so the
 * signed host is the sent one, and can apply a {@link Forgery} for negative scenarios.
 */
public final class RequestSigner {
    private final Credentials credentials;
    private final Clock clock;
    private final Forgery forgery;

    public RequestSigner(Credentials credentials, Clock clock, Forgery forgery) {
        this.credentials = credentials;
        this.clock = clock;
        this.forgery = forgery;
    }

    public void sign(OutgoingRequest request) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (forgery instanceof Forgery.ClockSkew skew) {
            now = now.plus(skew.skew());
        }
        String date = now.format(HmacSigner.DATE_FORMAT);
        String host = HmacSigner.host(request.uri());
        String version = forgery instanceof Forgery.ApiVersionHeader announced ? announced.version()
                : HmacSigner.API_VERSION;
        request.header("Host", host);
        request.header("Date", date);
        request.header("X-BackendAI-Version", version);
        if (forgery instanceof Forgery.Unsigned) {
            request.removeHeader("Authorization");
            return;
        }
        String signature = HmacSigner.signature(credentials.secretKey(), new HmacSigner.Signable(request.method(),
                request.pathAndQuery(), date, host, request.contentType(), version));
        SecretsSeen.remember(signature);
        if (forgery instanceof Forgery.TamperedSignature) {
            signature = tamper(signature);
        }
        request.header("Authorization", HmacSigner.authorization(credentials.accessKey(), signature));
    }

    private static String tamper(String signature) {
        char last = signature.charAt(signature.length() - 1);
        return signature.substring(0, signature.length() - 1) + (last == '0' ? '1' : '0');
    }
}
