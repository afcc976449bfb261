package bai.scenarios.emulator;

import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.state.Entities.UserAccount;

import bai.scenarios.emulator.api.SpecApi;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone: {@code java -jar target/bai-emulator.jar [--port N] [--host H]
 * [--openapi-spec PATH] [--show-secrets]}. Prints the endpoint and the bootstrap keypairs, then
 * serves until stopped. {@code --openapi-spec} (or {@code -Dbai.emulator.openapi-spec}) turns
 * OpenAPI introspection on and publishes that document at {@code GET /spec/openapi/spec.json}.
 */
public final class EmulatorMain {
    private static final String USAGE = "usage: java -jar bai-emulator.jar [--port N] [--host 127.0.0.1]"
            + " [--openapi-spec PATH] [--show-secrets]";

    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String host = "127.0.0.1";
        int port = 8081;
        boolean showSecrets = false;
        Optional<Path> openApiSpec = Optional.ofNullable(System.getProperty(SpecApi.SETTING))
                .map(String::trim).filter(value -> !value.isEmpty()).map(Path::of);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = parsePort(i + 1 < args.length ? args[++i] : null);
                case "--host" -> host = i + 1 < args.length ? args[++i] : fail("--host needs an address");
                case "--openapi-spec" -> openApiSpec = Optional.of(Path.of(i + 1 < args.length ? args[++i]
                        : fail("--openapi-spec needs the path of an openapi.json")));
                case "--show-secrets" -> showSecrets = true;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> fail("unknown option " + args[i]);
            }
        }
        long started = System.nanoTime();
        ManagerEmulator emulator;
        try {
            emulator = ManagerEmulator.start(host, port, openApiSpec);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        } catch (RuntimeException e) {
            System.err.println("bai-emulator: cannot listen on " + host + ":" + port + " ("
                    + rootMessage(e) + "); is the port in use? Try --port 0 for a free one.");
            System.exit(1);
            return;
        }
        try {
            emulator.awaitReady(); // requests would wait by themselves; the banner should not claim too early
        } catch (IllegalStateException e) {
            System.err.println("bai-emulator: " + e.getMessage());
            emulator.close();
            System.exit(1);
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        printBanner(emulator, millis, showSecrets);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "emulator-shutdown"));
        stopped.await();
    }

    private static void printBanner(ManagerEmulator emulator, long millis, boolean showSecrets) {
        System.out.printf("Backend.AI manager emulator %s (imitates manager %s, API %s)%n",
                EmulatorVersion.emulator(), EmulatorVersion.emulatedManager(), "v9.20250722");
        System.out.printf("Endpoint: %s  (started in %d ms)%n", emulator.endpoint(), millis);
        System.out.println("Bootstrap keypairs (Backend.AI's public halfstack examples):");
        emulator.bootstrap().keypairs().stream()
                .sorted(Comparator.comparing(Keypair::accessKey))
                .forEach(k -> {
                    UserAccount user = emulator.bootstrap().users().stream()
                            .filter(u -> u.uuid().equals(k.userId())).findFirst().orElse(null);
                    String secret = showSecrets ? k.secretKey() : k.secretKey().substring(0, 4) + "…";
                    System.out.printf("  %-24s %-10s access key %s  secret key %s%n",
                            user == null ? "?" : user.email(), user == null ? "?" : user.role(), k.accessKey(), secret);
                });
        if (!showSecrets) {
            System.out.println("Secret keys are hidden; pass --show-secrets to print them.");
        }
        System.out.println(emulator.openApiSpec()
                .map(doc -> "OpenAPI introspection: on, GET " + SpecApi.DOCUMENT_PATH + " serves " + doc.source()
                        + " (" + doc.pathCount() + " paths). A production manager keeps it off.")
                .orElse("OpenAPI introspection: off, as on a production manager (GET " + SpecApi.DOCUMENT_PATH
                        + " answers 403); --openapi-spec PATH turns it on."));
        System.out.println("Serving until stopped (Ctrl+C).");
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                fail("--port must be between 0 and 65535");
            }
            return port;
        } catch (NumberFormatException e) {
            return fail("--port needs a number, got " + value);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static <T> T fail(String message) {
        System.err.println("bai-emulator: " + message);
        System.err.println(USAGE);
        System.exit(2);
        return null;
    }
}
