package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.threads.Background;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The warm pool's fork server: one {@code kernel_runner.py --zygote} interpreter that has imported
 * everything a runner needs forks pooled runners on request, so a pooled runner costs a fork
 * (~10 ms of CPU) instead of an interpreter start (~65 ms; most of the kernels' CPU in a run).
 * A forked runner connects back to a Unix socket in the emulator's private scratch root and
 * speaks the runner protocol over it; the fork server reaps it and reports its exit code.
 *
 * <p>It also forks the model servers' stand-in ({@link #forkScript}), for the same reason.
 *
 * <p>Threads: an acceptor hands each connection to the {@link #fork()} waiting for its token; a
 * reader takes the fork server's exit reports. No lock is held while anything waits. A forked runner dies with its connection, as a started one dies with its stdin:
 * it kills its kernel's processes and itself when its input ends, as it does when this JVM dies,
 * even by {@code kill -9}. The fork server then exits on its own stdin's end; it kills no runner
 * (one killed from outside would leave its bootstrap and batch process groups behind).
 */
final class KernelForkServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KernelForkServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HELLO_MAX = 256;
    private static final java.time.Duration HELLO_WITHIN = java.time.Duration.ofSeconds(5);

    /** How long a connection may stay silent before it is dropped (its hello is due at once). */
    private final java.time.Duration helloWithin;

    private final Process server;
    private final ServerSocketChannel listener;
    private final Path socket;
    /** Forks asked for and not yet connected, by the token the forked process says hello with. */
    private final Map<String, CompletableFuture<RunnerProcess>> waiting = new ConcurrentHashMap<>();
    /** Exit codes by pid, from the fork server's reports (created by whichever side comes first). */
    private final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
    private volatile boolean ended;

    private KernelForkServer(Process server, ServerSocketChannel listener, Path socket, java.time.Duration helloWithin) {
        this.helloWithin = helloWithin;
        this.server = server;
        this.listener = listener;
        this.socket = socket;
    }

    /**
     * Starts the fork server: {@code command} is a pooled runner's command line (the fork server
     * takes {@code --zygote=SOCKET} on top), started in {@code home} with {@code environment}.
     */
    static KernelForkServer start(List<String> command, Path home, Map<String, String> environment, Path socket)
            throws IOException {
        return start(command, home, environment, socket, HELLO_WITHIN);
    }

    /** As above, dropping a connection that says no hello within {@code helloWithin} (tests). */
    static KernelForkServer start(List<String> command, Path home, Map<String, String> environment, Path socket,
                                  java.time.Duration helloWithin) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(socket));
            List<String> zygote = new java.util.ArrayList<>(command);
            zygote.add("--zygote=" + socket);
            ProcessBuilder builder = new ProcessBuilder(zygote).directory(home.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(environment);
            KernelForkServer started = new KernelForkServer(builder.start(), listener, socket, helloWithin);
            Background.daemon("kernel-fork-acceptor").newThread(started::accept).start();
            Background.daemon("kernel-fork-reports").newThread(started::readReports).start();
            return started;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** Whether it can still fork (false once it ended or was closed: the host starts runners itself then). */
    boolean usable() {
        return !ended && server.isAlive();
    }

    long pid() {
        return server.pid();
    }

    /**
     * A forked pooled runner, once it has connected (it says "idle" on its connection next). Never
     * completes on its own when the runner never connects: the caller bounds the wait.
     */
    CompletableFuture<RunnerProcess> fork() {
        return fork(JSON.createObjectNode());
    }

    /**
     * A forked process running the Python script {@code argv[0]} with its arguments as
     * {@code python -S} would, its stdin and stdout being the connection (its stderr /dev/null).
     * {@code preload}: modules the fork server imports once, before its first such fork, so later
     * forks find them imported.
     */
    CompletableFuture<RunnerProcess> forkScript(List<String> argv, List<String> preload) {
        ObjectNode request = JSON.createObjectNode();
        argv.forEach(request.putArray("script")::add);
        preload.forEach(request.putArray("preload")::add);
        return fork(request);
    }

    private CompletableFuture<RunnerProcess> fork(ObjectNode request) {
        CompletableFuture<RunnerProcess> forked = new CompletableFuture<>();
        if (!usable()) {
            forked.completeExceptionally(new IOException("the kernel fork server has ended"));
            return forked;
        }
        String token = java.util.UUID.randomUUID().toString();
        waiting.put(token, forked);
        // A wait given up (timed out) is forgotten; a process that connects later is killed.
        forked.whenComplete((ok, failure) -> waiting.remove(token, forked));
        request.put("fork", true).put("token", token);
        try {
            byte[] line = (request + "\n").getBytes(StandardCharsets.UTF_8);
            OutputStream requests = server.getOutputStream();
            synchronized (requests) {
                requests.write(line);
                requests.flush();
            }
        } catch (IOException e) {
            forked.completeExceptionally(e);
        }
        return forked;
    }

    /** Ends the fork server (the host has killed its kernels already; runners end with their connections). */
    @Override
    public void close() {
        ended = true;
        try {
            server.getOutputStream().close();
        } catch (IOException alreadyGone) {
            // it has ended
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the scratch root goes with the host
        }
        failWaiting("the emulator is shutting down");
    }

    // --- the acceptor and the reports reader ----------------------------------------------------

    private void accept() {
        while (!ended) {
            SocketChannel connection;
            try {
                connection = listener.accept();
            } catch (IOException closed) {
                break;
            }
            try {
                JsonNode hello = hello(connection);
                long pid = hello.path("pid").asLong();
                Forked runner = new Forked(pid, connection, exits.computeIfAbsent(pid, p -> new CompletableFuture<>()));
                CompletableFuture<RunnerProcess> waiter = waiting.remove(hello.path("token").asText());
                if (waiter == null || !waiter.complete(runner)) {
                    runner.kill(); // nobody waits for it any more
                    runner.close();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "a forked kernel runner's connection failed", e);
                closeQuietly(connection);
            }
        }
        failWaiting("the kernel fork server has ended");
    }

    /**
     * The forked process's first line, {"t": "hello", "pid": n, "token": t}, read byte by byte
     * (nothing after it is consumed) within {@link #helloWithin}: one that connects and says
     * nothing cannot hold up the acceptor.
     */
    private JsonNode hello(SocketChannel connection) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        long deadline = System.nanoTime() + helloWithin.toNanos();
        connection.configureBlocking(false);
        try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            connection.register(selector, java.nio.channels.SelectionKey.OP_READ);
            while (line.size() < HELLO_MAX) {
                one.clear();
                int read = connection.read(one);
                if (read < 0) {
                    throw new IOException("the forked process ended before saying hello");
                }
                if (read == 0) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new IOException("the forked process said no hello within " + helloWithin.toMillis() + " ms");
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                    continue;
                }
                if (one.get(0) == '\n') {
                    connection.keyFor(selector).cancel();
                    selector.selectNow(); // deregisters, so the channel can block again
                    connection.configureBlocking(true);
                    return parseHello(line);
                }
                line.write(one.get(0));
            }
        }
        throw new IOException("a forked process's hello is longer than " + HELLO_MAX + " bytes");
    }

    private static JsonNode parseHello(ByteArrayOutputStream line) throws IOException {
        JsonNode hello = JSON.readTree(line.toByteArray());
        if (!hello.path("t").asText().equals("hello") || !hello.path("pid").canConvertToLong()) {
            throw new IOException("not a forked process's hello: " + line);
        }
        return hello;
    }

    private void readReports() {
        try (BufferedReader reports = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reports.readLine()) != null) {
                JsonNode report = JSON.readTree(line);
                if (report.path("t").asText().equals("exit")) {
                    int code = report.path("code").asInt();
                    exits.computeIfAbsent(report.path("pid").asLong(), p -> new CompletableFuture<>())
                            .complete(code < 0 ? 128 - code : code);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "the kernel fork server's reports ended", e);
        }
        ended = true;
        failWaiting("the kernel fork server has ended");
        // Nobody reaps for the fork server any more: runners still alive were adopted by init,
        // whose exits the JDK sees (by polling, which only this rare case pays).
        exits.forEach((pid, exit) -> {
            if (!exit.isDone()) {
                ProcessHandle.of(pid).map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null))
                        .thenRun(() -> exit.complete(-1));
            }
        });
    }

    private void failWaiting(String why) {
        IOException reason = new IOException(why);
        List.copyOf(waiting.values()).forEach(forked -> forked.completeExceptionally(reason));
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * A forked runner: the protocol over its connection (plain channel reads and writes: JDK 17's
     * {@code Channels} streams would serialise a blocked read with every write), its exit from the
     * fork server's report.
     */
    private final class Forked implements RunnerProcess {
        private final long pid;
        private final SocketChannel connection;
        private final CompletableFuture<Integer> exit;

        Forked(long pid, SocketChannel connection, CompletableFuture<Integer> exit) {
            this.pid = pid;
            this.connection = connection;
            this.exit = exit;
            // The connection stays open until the kernel's reader has read it to the end (the
            // runner's last words, a "fatal" reason say, may still be in it when its exit is known).
            exit.whenComplete((code, failure) -> exits.remove(pid, exit));
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public InputStream fromRunner() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    try {
                        return connection.read(ByteBuffer.wrap(buffer, offset, length));
                    } catch (java.nio.channels.ClosedChannelException closed) {
                        return -1; // closed on this side: as good as the runner's end
                    }
                }

                @Override
                public void close() {
                    Forked.this.close();
                }
            };
        }

        @Override
        public OutputStream toRunner() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    ByteBuffer pending = ByteBuffer.wrap(bytes, offset, length);
                    while (pending.hasRemaining()) {
                        connection.write(pending);
                    }
                }
            };
        }

        @Override
        public void endInput() throws IOException {
            try {
                connection.shutdownOutput();
            } catch (java.nio.channels.ClosedChannelException closed) {
                throw new IOException("the runner's connection is closed", closed);
            }
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return exit.copy();
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public Optional<ProcessHandle> handle() {
            // Not after its exit was reported: the pid may belong to another process by then.
            return exit.isDone() ? Optional.empty() : ProcessHandle.of(pid);
        }

        void close() {
            closeQuietly(connection);
        }
    }
}
