package bai.scenarios.emulator.auth;

import bai.scenarios.emulator.http.Problems;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SSH keypair each API keypair may carry for SSH/SFTP into its sessions
 * ({@code /auth/ssh-keypair}): stored per access key, generated as the manager generates it (RSA
 * 2048, the private key as a traditional PEM, the public key in OpenSSH form, each ending in a
 * newline), and validated on upload as the manager's {@code SSHKeyValidator} does: the private key
 * in PEM (PKCS#1, PKCS#8, SEC1) or the OpenSSH container, the public key in OpenSSH form, and a
 * signature made with one verified with the other. Thread-safe; a leaf (no state lock).
 */
public final class SshKeypairs {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] ED25519_PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final Map<String, String> CURVES = Map.of("nistp256", "secp256r1", "nistp384", "secp384r1",
            "nistp521", "secp521r1");
    private static final Map<String, String> CURVE_OIDS = Map.of("1.2.840.10045.3.1.7", "secp256r1",
            "1.3.132.0.34", "secp384r1", "1.3.132.0.35", "secp521r1");

    /** A public and a private key, as the manager stores and answers them. */
    public record Pair(String publicKey, String privateKey) {
        @Override
        public String toString() {
            return "Pair[" + publicKey.strip() + ", private key hidden]";
        }
    }

    private final Map<String, Pair> byAccessKey = new ConcurrentHashMap<>();

    /** The public key stored for the access key, if any. */
    public Optional<String> publicKey(String accessKey) {
        return Optional.ofNullable(byAccessKey.get(accessKey)).map(Pair::publicKey);
    }

    public void store(String accessKey, Pair pair) {
        byAccessKey.put(accessKey, pair);
    }

    /** A fresh RSA 2048 keypair. Slow (tens of milliseconds and more): run it off the request workers. */
    public static Pair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            KeyPair keys = generator.generateKeyPair();
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) keys.getPrivate();
            RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
            byte[] pkcs1 = Der.sequence(Der.integer(BigInteger.ZERO), Der.integer(priv.getModulus()),
                    Der.integer(priv.getPublicExponent()), Der.integer(priv.getPrivateExponent()),
                    Der.integer(priv.getPrimeP()), Der.integer(priv.getPrimeQ()), Der.integer(priv.getPrimeExponentP()),
                    Der.integer(priv.getPrimeExponentQ()), Der.integer(priv.getCrtCoefficient()));
            return new Pair(openSshRsa(pub) + "\n", pem("RSA PRIVATE KEY", pkcs1));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA keys cannot be generated on this JVM", e);
        }
    }

    /**
     * Checks an uploaded pair as the manager does and answers its error when the pair is not
     * usable: an unreadable private key, an unreadable public key, or keys that do not match.
     */
    public static void validate(String privateKey, String publicKey) {
        PrivateKey priv = loadPrivate(privateKey);
        PublicKey pub = loadPublic(publicKey);
        String algorithm = signatureAlgorithm(priv, pub);
        byte[] message = new byte[32];
        RANDOM.nextBytes(message);
        boolean verified;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(priv);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(message);
            verified = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw Problems.invalidSshPrivateKey("Unable to sign with the provided private key: " + e.getMessage());
        }
        if (!verified) {
            throw Problems.sshKeypairMismatch("Public key does not match the private key");
        }
    }

    private static String signatureAlgorithm(PrivateKey priv, PublicKey pub) {
        if (priv instanceof RSAPrivateKey && pub instanceof RSAPublicKey) {
            return "SHA256withRSA";
        }
        if (priv instanceof ECPrivateKey && pub instanceof ECPublicKey) {
            return "SHA256withECDSA";
        }
        if (priv instanceof EdECPrivateKey && pub instanceof EdECPublicKey) {
            return "Ed25519";
        }
        throw Problems.sshKeypairMismatch("The private and public keys are of incompatible types");
    }

    // --- private keys ---------------------------------------------------------------------

    private static PrivateKey loadPrivate(String text) {
        String trimmed = text.strip();
        if (trimmed.contains("ENCRYPTED")) {
            // Proc-Type: 4,ENCRYPTED or an ENCRYPTED PRIVATE KEY block: the manager never supplies a password.
            throw Problems.invalidSshPrivateKey("Password-protected private keys are not supported");
        }
        try {
            if (trimmed.startsWith("-----BEGIN RSA PRIVATE KEY-----")) {
                return rsaFromPkcs1(Der.read(unpem(trimmed)));
            }
            if (trimmed.startsWith("-----BEGIN PRIVATE KEY-----")) {
                return fromPkcs8(unpem(trimmed));
            }
            if (trimmed.startsWith("-----BEGIN EC PRIVATE KEY-----")) {
                return ecFromSec1(unpem(trimmed));
            }
            if (trimmed.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----")) {
                return fromOpenSsh(unpem(trimmed));
            }
        } catch (RuntimeException | GeneralSecurityException unreadable) {
            if (unreadable instanceof bai.scenarios.emulator.http.ApiError error) {
                throw error;
            }
        }
        throw Problems.invalidSshPrivateKey("Invalid private key format");
    }

    private static PrivateKey rsaFromPkcs1(Der.Node sequence) throws GeneralSecurityException {
        var v = sequence.children();
        return KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(v.get(1).integer(),
                v.get(2).integer(), v.get(3).integer(), v.get(4).integer(), v.get(5).integer(), v.get(6).integer(),
                v.get(7).integer(), v.get(8).integer()));
    }

    private static PrivateKey fromPkcs8(byte[] der) throws GeneralSecurityException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException notThisOne) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("not a PKCS#8 key of a supported algorithm");
    }

    private static PrivateKey ecFromSec1(byte[] der) throws GeneralSecurityException {
        Der.Node sec1 = Der.read(der);
        BigInteger d = new BigInteger(1, sec1.children().get(1).content());
        String curve = null;
        for (Der.Node child : sec1.children()) {
            if (child.tag() == 0xa0) {
                curve = CURVE_OIDS.get(Der.read(child.content()).oid());
            }
        }
        if (curve == null) {
            throw new GeneralSecurityException("unknown curve");
        }
        return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, ecParameters(curve)));
    }

    private static PrivateKey fromOpenSsh(byte[] blob) throws GeneralSecurityException {
        byte[] magic = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
        if (blob.length < magic.length || !Arrays.equals(Arrays.copyOf(blob, magic.length), magic)) {
            throw new GeneralSecurityException("not an OpenSSH private key");
        }
        SshReader in = new SshReader(Arrays.copyOfRange(blob, magic.length, blob.length));
        String cipher = in.string();
        if (!cipher.equals("none")) {
            throw Problems.invalidSshPrivateKey("Password-protected private keys are not supported");
        }
        in.string(); // kdf name
        in.bytes(); // kdf options
        if (in.uint32() != 1) {
            throw new GeneralSecurityException("one key expected");
        }
        in.bytes(); // public key
        SshReader priv = new SshReader(in.bytes());
        if (priv.uint32() != priv.uint32()) {
            throw new GeneralSecurityException("check values differ");
        }
        String type = priv.string();
        switch (type) {
            case "ssh-rsa" -> {
                BigInteger n = priv.mpint();
                BigInteger e = priv.mpint();
                BigInteger d = priv.mpint();
                BigInteger iqmp = priv.mpint();
                BigInteger p = priv.mpint();
                BigInteger q = priv.mpint();
                return KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(n, e, d, p, q,
                        d.mod(p.subtract(BigInteger.ONE)), d.mod(q.subtract(BigInteger.ONE)), iqmp));
            }
            case "ssh-ed25519" -> {
                priv.bytes(); // public part
                byte[] secret = priv.bytes();
                return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                        concat(ED25519_PKCS8_PREFIX, Arrays.copyOf(secret, 32))));
            }
            default -> {
                if (!type.startsWith("ecdsa-sha2-")) {
                    throw new GeneralSecurityException("unsupported key type " + type);
                }
                String curve = CURVES.get(priv.string());
                priv.bytes(); // public point
                BigInteger d = priv.mpint();
                if (curve == null) {
                    throw new GeneralSecurityException("unsupported curve");
                }
                return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, ecParameters(curve)));
            }
        }
    }

    // --- public keys ----------------------------------------------------------------------

    private static PublicKey loadPublic(String text) {
        try {
            String[] parts = text.strip().split("\\s+");
            if (parts.length >= 2) {
                SshReader in = new SshReader(Base64.getDecoder().decode(parts[1]));
                String type = in.string();
                if (type.equals(parts[0])) {
                    switch (type) {
                        case "ssh-rsa" -> {
                            BigInteger e = in.mpint();
                            BigInteger n = in.mpint();
                            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
                        }
                        case "ssh-ed25519" -> {
                            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                                    concat(ED25519_X509_PREFIX, in.bytes())));
                        }
                        default -> {
                            String curve = CURVES.get(in.string());
                            byte[] point = in.bytes();
                            if (type.startsWith("ecdsa-sha2-") && curve != null && point.length > 1 && point[0] == 4) {
                                int half = (point.length - 1) / 2;
                                ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + half)),
                                        new BigInteger(1, Arrays.copyOfRange(point, 1 + half, point.length)));
                                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w,
                                        ecParameters(curve)));
                            }
                        }
                    }
                }
            }
        } catch (RuntimeException | GeneralSecurityException unreadable) {
            // answered below
        }
        throw Problems.invalidSshPublicKey("Invalid public key format");
    }

    private static ECParameterSpec ecParameters(String curve) throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(curve));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }

    // --- encodings ------------------------------------------------------------------------

    private static String openSshRsa(RSAPublicKey key) {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        sshString(blob, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
        sshString(blob, key.getPublicExponent().toByteArray());
        sshString(blob, key.getModulus().toByteArray());
        return "ssh-rsa " + Base64.getEncoder().encodeToString(blob.toByteArray());
    }

    private static void sshString(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] unpem(String text) {
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (!line.startsWith("-----") && !line.contains(":")) {
                body.append(line.strip());
            }
        }
        return Base64.getDecoder().decode(body.toString());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** Reads the SSH wire format: uint32-length-prefixed strings and mpints. */
    private static final class SshReader {
        private final ByteBuffer buffer;

        SshReader(byte[] data) {
            buffer = ByteBuffer.wrap(data);
        }

        int uint32() {
            return buffer.getInt();
        }

        byte[] bytes() {
            int length = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                throw new IllegalArgumentException("truncated SSH data");
            }
            byte[] value = new byte[length];
            buffer.get(value);
            return value;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        BigInteger mpint() {
            return new BigInteger(bytes());
        }
    }

    /** Just enough DER to write a PKCS#1 key and read PKCS#1 and SEC1 keys. */
    static final class Der {
        private Der() {
        }

        record Node(int tag, byte[] content) {
            java.util.List<Node> children() {
                java.util.List<Node> nodes = new java.util.ArrayList<>();
                int[] at = {0};
                while (at[0] < content.length) {
                    nodes.add(next(content, at));
                }
                return nodes;
            }

            BigInteger integer() {
                return new BigInteger(content);
            }

            String oid() {
                StringBuilder text = new StringBuilder();
                text.append(content[0] / 40).append('.').append(content[0] % 40);
                long value = 0;
                for (int i = 1; i < content.length; i++) {
                    value = (value << 7) | (content[i] & 0x7f);
                    if ((content[i] & 0x80) == 0) {
                        text.append('.').append(value);
                        value = 0;
                    }
                }
                return text.toString();
            }
        }

        static Node read(byte[] der) {
            return next(der, new int[] {0});
        }

        private static Node next(byte[] der, int[] at) {
            int tag = der[at[0]++] & 0xff;
            int length = der[at[0]++] & 0xff;
            if (length > 0x80) {
                int count = length - 0x80;
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (der[at[0]++] & 0xff);
                }
            }
            byte[] content = Arrays.copyOfRange(der, at[0], at[0] + length);
            at[0] += length;
            return new Node(tag, content);
        }

        static byte[] integer(BigInteger value) {
            return tagged(0x02, value.toByteArray());
        }

        static byte[] sequence(byte[]... items) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            for (byte[] item : items) {
                content.writeBytes(item);
            }
            return tagged(0x30, content.toByteArray());
        }

        private static byte[] tagged(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            int length = content.length;
            if (length < 0x80) {
                out.write(length);
            } else {
                byte[] digits = BigInteger.valueOf(length).toByteArray();
                int skip = digits[0] == 0 ? 1 : 0;
                out.write(0x80 | (digits.length - skip));
                out.write(digits, skip, digits.length - skip);
            }
            out.writeBytes(content);
            return out.toByteArray();
        }
    }
}
