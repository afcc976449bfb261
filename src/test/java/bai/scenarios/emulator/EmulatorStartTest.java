package bai.scenarios.emulator;

import bai.scenarios.emulator.threads.ScratchOwner;
import bai.scenarios.emulator.vfolders.VFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The emulator's start: {@code start} returns once both servers listen and the rest initialises
 * on its own thread meanwhile. Nothing may see it half-built: a request that comes first waits and
 * is answered as any other, a failed initialisation answers every request with its failure, and a
 * failed start leaves nothing behind.
 */
class EmulatorStartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dataParent;

    private VFolders.Settings settings() {
        return new VFolders.Settings(dataParent, 0, Duration.ofDays(1));
    }

    @Test
    void requestsArrivingDuringTheInitialisationWaitForItAndAreAnsweredAsAnyOther() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ManagerEmulator emulator = ManagerEmulator.start("127.0.0.1", 0, Optional.empty(), settings(), phase -> {
            if (phase.equals("bootstrap data")) {
                held.countDown();
                awaitOrFail(release);
            }
        });
        try {
            assertThat(held.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the initialisation reached the hold").isTrue();
            assertThat(emulator.ready()).as("still initialising").isNotDone();
            EmulatorCaller superadmin = EmulatorCaller.superadmin(emulator.endpoint(), TIMEOUT);
            EmulatorCaller user = EmulatorCaller.user(emulator.endpoint(), TIMEOUT);
            List<CompletableFuture<EmulatorCaller.Answer>> echoes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                echoes.add((i % 2 == 0 ? superadmin : user).callAsync("POST", "/auth", Map.of("echo", "hi " + i)));
            }
            CompletableFuture<EmulatorCaller.Answer> role = user.callAsync("GET", "/auth/role", null);
            CompletableFuture<EmulatorCaller.Answer> root = superadmin.callAsync("GET", "/", null);
            CompletableFuture<EmulatorCaller.Answer> forged = new EmulatorCaller(emulator.endpoint(),
                    EmulatorCaller.USER_AK, "not-the-secret", TIMEOUT).callAsync("GET", "/auth/role", null);

            await().atMost(TIMEOUT).until(() -> emulator.requestsWaitingForStart() == 9);
            assertThat(echoes).noneMatch(CompletableFuture::isDone);
            assertThat(List.of(role, root, forged)).noneMatch(CompletableFuture::isDone);

            release.countDown();
            for (int i = 0; i < echoes.size(); i++) {
                EmulatorCaller.Answer echo = echoes.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(echo.status()).isEqualTo(200);
                assertThat(echo.path("echo").asText()).isEqualTo("hi " + i);
            }
            assertThat(role.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).path("global_role").asText()).isEqualTo("user");
            assertThat(root.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).path("version").asText()).isEqualTo("v9.20250722");
            assertThat(forged.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).status()).as("a bad signature still fails")
                    .isEqualTo(401);
            emulator.awaitReady();
            assertThat(emulator.requestsWaitingForStart()).isZero();
            assertThat(emulator.initPhases().phases()).extracting(StartPhases.Phase::name)
                    .startsWith("bootstrap data", "kernel host", "sessions", "folders");
        } finally {
            release.countDown(); // before close, which waits for the initialisation to end
            emulator.close();
        }
    }

    @Test
    void aFailedInitialisationAnswersEveryRequestWithTheFailureAndStillCloses() throws Exception {
        Path dataRoot;
        try (ManagerEmulator emulator = ManagerEmulator.start("127.0.0.1", 0, Optional.empty(), settings(), phase -> {
            if (phase.equals("sessions")) {
                throw new IllegalStateException("injected failure after the sessions were made");
            }
        })) {
            dataRoot = emulator.dataRoot();
            assertThatThrownBy(emulator::awaitReady).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the emulator failed to start").hasMessageContaining("injected failure");
            EmulatorCaller.Answer answer = EmulatorCaller.superadmin(emulator.endpoint(), TIMEOUT)
                    .call("POST", "/auth", Map.of("echo", "hi"));
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.path("msg").asText()).contains("the emulator failed to start").contains("injected failure");
            assertThat(emulator.bootstrap().keypairs()).as("read before the failure").isNotEmpty();
            assertThatThrownBy(emulator::services).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("injected failure");
            assertThat(emulator.ready()).isCompletedExceptionally();
        }
        assertThat(dataRoot).as("closed as usual: the data root is gone").doesNotExist();
    }

    @Test
    void aPortInUseFailsTheStartItselfAndLeavesNoDataRootBehind() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> ManagerEmulator.start("127.0.0.1", busy.getLocalPort(), Optional.empty(),
                    settings())).isInstanceOf(RuntimeException.class);
            VFolders.Settings busyProxy = new VFolders.Settings(dataParent, busy.getLocalPort(), Duration.ofDays(1));
            assertThatThrownBy(() -> ManagerEmulator.start("127.0.0.1", 0, Optional.empty(), busyProxy))
                    .as("the storage proxy's port").isInstanceOf(RuntimeException.class);
        }
        try (Stream<Path> left = Files.list(dataParent)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void staleDataRootsAreRemovedMeanwhileAndLiveOnesKept() throws IOException {
        Path stale = Files.createDirectory(dataParent.resolve("bai-emulator-data-stale"));
        // This pid with another start time: an emulator process that is gone, its pid reused.
        Files.writeString(stale.resolve(ScratchOwner.FILE), ProcessHandle.current().pid() + " 1970-01-01T00:00:00Z");
        Path live = Files.createDirectory(dataParent.resolve("bai-emulator-data-live"));
        ScratchOwner.claim(live);
        Path unclaimed = Files.createDirectory(dataParent.resolve("bai-emulator-data-unclaimed"));
        try (ManagerEmulator emulator = ManagerEmulator.start("127.0.0.1", 0, Optional.empty(), settings())) {
            await().atMost(TIMEOUT).until(() -> !Files.exists(stale));
            emulator.awaitReady();
            assertThat(live).as("its owner runs").isDirectory();
            assertThat(unclaimed).as("no owner written (yet): left alone").isDirectory();
            assertThat(emulator.dataRoot()).isDirectory();
        }
    }

    /** The start breakdown, printed (a measurement: only its shape is checked, never a time). */
    @Test
    void reportsWhereItsStartWent() {
        try (ManagerEmulator emulator = ManagerEmulator.start("127.0.0.1", 0, Optional.empty(), settings())) {
            emulator.awaitReady();
            System.out.println("emulator start (starting thread):       " + emulator.startPhases());
            System.out.println("emulator start (initialisation thread): " + emulator.initPhases());
            assertThat(emulator.startPhases().phases()).extracting(StartPhases.Phase::name).containsExactly(
                    "checks, threads", "initialisation thread", "manager server", "storage proxy", "published");
            assertThat(emulator.initPhases().phases()).extracting(StartPhases.Phase::name).containsExactly(
                    "bootstrap data", "kernel host", "sessions", "folders", "routes: auth, sessions, services",
                    "routes: the rest, pipeline");
            assertThat(emulator.initPhases().began()).isEqualTo(emulator.startPhases().began());
        }
    }

    private static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the initialisation");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
