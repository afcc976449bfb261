package bai.scenarios.emulator.sessions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The fork server's acceptor: a connection that never says hello is dropped and holds up no fork. */
class KernelForkServerTest {
    private static final long ANSWER_SECONDS = 30;

    @Test
    void aSilentConnectionIsDroppedAndTheNextForkStillConnects(@TempDir Path home) throws Exception {
        Path runner = home.resolve("kernel_runner.py");
        try (InputStream in = KernelHost.class.getResourceAsStream("/bai/scenarios/emulator/kernel_runner.py")) {
            Files.write(runner, in.readAllBytes());
        }
        String python = KernelHost.resolved("python3").get(ANSWER_SECONDS, TimeUnit.SECONDS);
        Path socket = home.resolve("fork.sock");
        List<String> pooled = List.of(python, "-S", runner.toString(), "--bootstrap=", "--ro-mounts=[]", "--pooled");
        try (KernelForkServer forks = KernelForkServer.start(pooled, home, Map.of("HOME", home.toString()), socket,
                Duration.ofMillis(300))) {
            try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                silent.connect(UnixDomainSocketAddress.of(socket));

                // The acceptor is busy with the silent connection first; the fork is answered once it gave up.
                RunnerProcess forked = forks.fork().get(ANSWER_SECONDS, TimeUnit.SECONDS);
                try {
                    assertThat(forked.isAlive()).isTrue();
                    assertThat(silent.read(ByteBuffer.allocate(1))).as("the silent connection was closed").isEqualTo(-1);
                } finally {
                    forked.kill();
                }
                assertThat(forked.onExit().get(ANSWER_SECONDS, TimeUnit.SECONDS)).isNotZero();
            }
        }
    }
}
