package bai.scenarios.client.transport;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * Signs every request from its final URI, just before it is sent. Sets {@code Host} explicitly so
 * the signed host is the one on the wire (an endpoint written with a default port would otherwise
 * disagree), and can apply a {@link Forgery} for negative scenarios.
 */
public final class SigningFilter implements Filter {
    private final Credentials credentials;
    private final Clock clock;
    private final Forgery forgery;

    public SigningFilter(Credentials credentials, Clock clock, Forgery forgery) {
        this.credentials = credentials;
        this.clock = clock;
        this.forgery = forgery;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                           FilterContext context) {
        URI uri = URI.create(request.getURI());
        String pathAndQuery = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (forgery instanceof Forgery.ClockSkew skew) {
            now = now.plus(skew.skew());
        }
        String date = now.format(HmacSigner.DATE_FORMAT);
        String host = HmacSigner.host(uri);

        request.replaceHeader("Host", host);
        request.replaceHeader("Date", date);
        String version = forgery instanceof Forgery.ApiVersionHeader announced ? announced.version()
                : HmacSigner.API_VERSION;
        request.replaceHeader("X-BackendAI-Version", version);
        if (forgery instanceof Forgery.Unsigned) {
            request.removeHeader("Authorization");
            return context.next(request, response);
        }
        String signature = HmacSigner.signature(credentials.secretKey(),
                new HmacSigner.Signable(request.getMethod(), pathAndQuery, date, host, request.getContentType(), version));
        SecretsSeen.remember(signature);
        if (forgery instanceof Forgery.TamperedSignature) {
            signature = tamper(signature);
        }
        request.replaceHeader("Authorization", HmacSigner.authorization(credentials.accessKey(), signature));
        return context.next(request, response);
    }

    private static String tamper(String signature) {
        char last = signature.charAt(signature.length() - 1);
        return signature.substring(0, signature.length() - 1) + (last == '0' ? '1' : '0');
    }
}
