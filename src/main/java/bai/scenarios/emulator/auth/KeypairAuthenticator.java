package bai.scenarios.emulator.auth;

import bai.scenarios.emulator.http.ApiRequest;
import bai.scenarios.emulator.http.Authenticator;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.UserAccount;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The manager's HMAC authentication, check by check in its order and with its answers:
 * date (400) → Authorization syntax (400) → access key (401) → sign method (400) →
 * version header (400) → signature (401) → Act-As (403). JWT tokens are not supported.
 */
public final class KeypairAuthenticator implements Authenticator {
    private static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(15);
    private static final DateTimeFormatter KEY_DAY = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);

    private final Directory directory;
    private final Clock clock;

    public KeypairAuthenticator(Directory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public Caller authenticate(ApiRequest request) {
        if (present(request.header("X-BackendAI-Token"))) {
            throw Problems.authFailed("JWT validation failed: the emulator accepts HMAC-signed requests only");
        }
        if (!present(request.header("Authorization"))) {
            return null;
        }
        String rawDate = firstPresent(request.header("Date"), request.header("X-BackendAI-Date"),
                request.header("X-Sorna-Date"));
        OffsetDateTime date = rawDate == null ? null : DateHeaders.parse(rawDate).orElse(null);
        if (date == null || !withinTolerance(date)) {
            throw Problems.invalidAuthParameters("Date/time sync error");
        }

        AuthorizationHeader auth = AuthorizationHeader.parse(request.header("Authorization"));
        Keypair keypair = directory.keypair(auth.accessKey()).filter(Keypair::isActive)
                .orElseThrow(() -> Problems.authFailed("Access key not found in HMAC"));
        UserAccount user = directory.user(keypair.userId())
                .orElseThrow(() -> Problems.authFailed("Access key not found in HMAC"));

        String expected = expectedSignature(request, auth.signMethod(), keypair.secretKey(), rawDate, date);
        if (!HmacVerifier.matches(expected, auth.signature())) {
            throw Problems.authFailed("HMAC signature mismatch");
        }
        return new Caller(keypair.accessKey(), keypair.isAdmin(), keypair.rateLimit(), user.uuid(), user.email(),
                user.role(), user.domainName(), actAs(request, user));
    }

    private boolean withinTolerance(OffsetDateTime date) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return date.isAfter(now.minus(CLOCK_TOLERANCE)) && date.isBefore(now.plus(CLOCK_TOLERANCE));
    }

    private static String expectedSignature(ApiRequest request, String signMethod, String secretKey, String rawDate,
                                            OffsetDateTime date) {
        String[] parts = signMethod.split("-", -1);
        if (parts.length != 2) {
            throw Problems.authFailed("Invalid signature");
        }
        if (!parts[0].equalsIgnoreCase("hmac")) {
            throw Problems.invalidAuthParameters("Unsupported request signing method (MAC type)");
        }
        String hash = parts[1].toLowerCase(Locale.ROOT);
        if (!HmacVerifier.supports(hash)) {
            throw Problems.invalidAuthParameters("Unsupported request signing method (hash type)");
        }
        String newVersion = request.header("X-BackendAI-Version");
        String version = present(newVersion) ? newVersion : request.header("X-Sorna-Version");
        if (version == null) {
            throw Problems.invalidAuthParameters("API version missing in request headers");
        }
        // Only pre-v4.20181215 clients signed the body; every version the manager accepts signs b"".
        boolean signsBody = version.compareTo("v4.20181215") < 0
                && !request.mediaType().equals("multipart/form-data");
        String bodyHash = HmacVerifier.bodyHash(hash, signsBody ? request.body() : new byte[0]);
        String host = Optional.ofNullable(request.header("Host")).orElse("");
        String headerName = present(newVersion) ? "x-backendai-version" : "x-sorna-version";
        String toSign = HmacVerifier.stringToSign(request.method(), request.rawTarget(), rawDate, host,
                request.mediaType(), headerName, version, bodyHash);
        return HmacVerifier.signature(hash, secretKey, date.format(KEY_DAY), host, toSign);
    }

    private UUID actAs(ApiRequest request, UserAccount caller) {
        String target = request.header("X-BackendAI-Act-As");
        if (!present(target)) {
            return caller.uuid();
        }
        if (!"superadmin".equals(caller.role())) {
            throw Problems.insufficientPrivilege("Only superadmin may use X-BackendAI-Act-As");
        }
        UUID targetId;
        try {
            targetId = UUID.fromString(target.trim());
        } catch (IllegalArgumentException e) {
            throw Problems.invalidAuthParameters("X-BackendAI-Act-As must be a valid user UUID");
        }
        return directory.user(targetId).map(UserAccount::uuid)
                .orElseThrow(() -> Problems.userNotFound("Impersonation target user not found"));
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }

    private static String firstPresent(String... values) {
        for (String value : values) {
            if (present(value)) {
                return value;
            }
        }
        return null;
    }

    /** {@code BackendAI signMethod=HMAC-SHA256, credential=<access key>:<signature>}, parsed as the manager does. */
    record AuthorizationHeader(String signMethod, String accessKey, String signature) {
        static AuthorizationHeader parse(String header) {
            int space = header.indexOf(' ');
            if (space < 0) {
                throw Problems.invalidAuthParameters("Malformed authorization header");
            }
            String scheme = header.substring(0, space);
            if (!scheme.equals("BackendAI") && !scheme.equals("Sorna")) {
                throw Problems.invalidAuthParameters("Invalid authorization type name");
            }
            Map<String, String> params = new HashMap<>();
            for (String item : header.substring(space + 1).split(",", -1)) {
                String param = item.strip();
                int eq = param.indexOf('=');
                if (eq < 0) {
                    // The manager unpacks "key=value" unguarded here, so this surfaces as its generic 500.
                    throw Problems.internalServerError();
                }
                params.put(param.substring(0, eq).strip(), param.substring(eq + 1).strip());
            }
            String credential = params.get("credential");
            String signMethod = params.get("signMethod");
            if (credential == null || signMethod == null || credential.indexOf(':') < 0) {
                throw Problems.invalidAuthParameters("Missing or malformed authorization parameters");
            }
            int colon = credential.indexOf(':');
            return new AuthorizationHeader(signMethod, credential.substring(0, colon), credential.substring(colon + 1));
        }
    }
}
