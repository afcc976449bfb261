package bai.scenarios.client.storage;

import bai.scenarios.client.transport.Exchange;
import bai.scenarios.client.transport.Redaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tus upload loop and the checksummed download, against a fake storage proxy. */
class StorageProxyTest {
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.secret-payload.signature";
    private FakeStorageProxy proxy;
    private final List<Exchange> evidence = new ArrayList<>();
    private StorageProxy client;

    @BeforeEach
    void start() throws IOException {
        proxy = new FakeStorageProxy();
        client = new StorageProxy(Duration.ofSeconds(10), evidence::add);
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    @Test
    void uploadsInChunksOfThePlannedSizeAskingTheOffsetFirst() {
        byte[] content = random(10_000);
        TransferTicket ticket = proxy.openUpload(TOKEN, content.length);

        StorageProxy.UploadReport report = client.upload(ticket, ByteSource.of(content),
                StorageProxy.UploadPlan.standard().withChunkSize(4096));

        assertThat(proxy.uploads.get(TOKEN).bytes.toByteArray()).isEqualTo(content);
        assertThat(proxy.patchLengths).containsExactly(4096L, 4096L, 1808L);
        assertThat(proxy.requests).containsExactly("HEAD null", "PATCH 0", "PATCH 4096", "PATCH 8192");
        assertThat(report.patches()).isEqualTo(3);
        assertThat(report.resumes()).isZero();
        assertThat(report.bytesSent()).isEqualTo(10_000);
    }

    @Test
    void resumesFromTheOffsetTheProxyHoldsWhenAnUploadWasBegunBefore() {
        byte[] content = random(9000);
        TransferTicket ticket = proxy.openUpload(TOKEN, content.length);
        proxy.uploads.get(TOKEN).bytes.write(content, 0, 5000);

        client.upload(ticket, ByteSource.of(content), StorageProxy.UploadPlan.standard().withChunkSize(3000));

        assertThat(proxy.uploads.get(TOKEN).bytes.toByteArray()).isEqualTo(content);
        assertThat(proxy.requests).containsExactly("HEAD null", "PATCH 5000", "PATCH 8000");
    }

    @Test
    void aPatchThatBreaksOffIsResumedFromTheHeadOffsetWhenTheProxyDropsItsBytes() {
        byte[] content = random(12_000);
        TransferTicket ticket = proxy.openUpload(TOKEN, content.length);

        StorageProxy.UploadReport report = client.upload(ticket, ByteSource.of(content),
                StorageProxy.UploadPlan.standard().withChunkSize(4000).breakingOffAt(6000));

        assertThat(proxy.uploads.get(TOKEN).bytes.toByteArray()).isEqualTo(content);
        assertThat(report.resumedFrom()).containsExactly(4000L);
        assertThat(report.bytesSent()).isEqualTo(12_000 + 2000);
    }

    @Test
    void aPatchThatBreaksOffIsResumedMidChunkWhenTheProxyKeepsWhatArrived() {
        proxy.keepBrokenBytes = true;
        byte[] content = random(12_000);
        TransferTicket ticket = proxy.openUpload(TOKEN, content.length);

        StorageProxy.UploadReport report = client.upload(ticket, ByteSource.of(content),
                StorageProxy.UploadPlan.standard().withChunkSize(4000).breakingOffAt(6000));

        assertThat(proxy.uploads.get(TOKEN).bytes.toByteArray()).isEqualTo(content);
        assertThat(report.resumedFrom()).hasSize(1);
        assertThat(report.resumedFrom().get(0)).isBetween(4000L, 6000L);
    }

    @Test
    void anOffsetMismatchIsAnsweredByAskingTheOffsetAgain() {
        byte[] content = random(8000);
        TransferTicket ticket = proxy.openUpload(TOKEN, content.length);
        client.patch(ticket, 0, java.util.Arrays.copyOf(content, 3000));
        proxy.loseBytesOnce = 1000;

        StorageProxy.UploadReport report = client.upload(ticket, ByteSource.of(content),
                StorageProxy.UploadPlan.standard().withChunkSize(3000));

        assertThat(proxy.uploads.get(TOKEN).bytes.toByteArray()).isEqualTo(content);
        assertThat(report.resumedFrom()).containsExactly(2000L);
        assertThat(proxy.requests).contains("PATCH 3000").endsWith("HEAD null", "PATCH 2000", "PATCH 5000");
    }

    @Test
    void aChunkThatMeetsAHeldLeaseIsSentAgainWithoutCountingAsAResumption() {
        byte[] content = random(6000);
        TransferTicket ticket = proxy.openUpload(TOKEN, content.length);
        proxy.leaseHeldFor.set(3);

        StorageProxy.UploadReport report = client.upload(ticket, ByteSource.of(content),
                StorageProxy.UploadPlan.standard().withChunkSize(3000));

        assertThat(proxy.uploads.get(TOKEN).bytes.toByteArray()).isEqualTo(content);
        assertThat(report.resumedFrom()).isEmpty();
        assertThat(report.patches()).isEqualTo(2);
    }

    @Test
    void aPatchAtTheWrongOffsetIsRefusedWithTheProxysProblemType() {
        TransferTicket ticket = proxy.openUpload(TOKEN, 100);
        assertThatThrownBy(() -> client.patch(ticket, 50, new byte[10]))
                .isInstanceOfSatisfying(StorageRefusal.class, refused -> {
                    assertThat(refused.status()).isEqualTo(409);
                    assertThat(refused.code()).isEqualTo("storage/upload-offset-mismatch");
                    assertThat(refused.getMessage()).doesNotContain(TOKEN).contains(Redaction.HIDDEN);
                });
    }

    @Test
    void anUnknownUploadSessionIsRefusedAsNotFound() {
        TransferTicket unknown = new TransferTicket(proxy.url("/upload"), "nobody-opened-this");
        // The first call is HEAD, whose answer has no body: the status is all there is.
        assertThatThrownBy(() -> client.upload(unknown, ByteSource.of(new byte[3])))
                .isInstanceOfSatisfying(StorageRefusal.class, refused -> assertThat(refused.status()).isEqualTo(404));
        assertThatThrownBy(() -> client.patch(unknown, 0, new byte[3]))
                .isInstanceOfSatisfying(StorageRefusal.class,
                        refused -> assertThat(refused.code()).isEqualTo("storage/tus-session-not-found"));
    }

    @Test
    void anEmptyFileIsCompletedWithOneEmptyPatch() {
        TransferTicket ticket = proxy.openUpload(TOKEN, 0);
        StorageProxy.UploadReport report = client.upload(ticket, ByteSource.of(new byte[0]));
        assertThat(report.patches()).isEqualTo(1);
        assertThat(proxy.requests).containsExactly("HEAD null", "PATCH 0");
    }

    @Test
    void uploadsAFileFromDiskSliceBySlice(@TempDir Path dir) throws IOException {
        byte[] content = random(70_000);
        Path file = dir.resolve("data.bin");
        Files.write(file, content);
        TransferTicket ticket = proxy.openUpload(TOKEN, content.length);

        client.upload(ticket, ByteSource.of(file), StorageProxy.UploadPlan.standard().withChunkSize(16_384));

        assertThat(proxy.uploads.get(TOKEN).bytes.toByteArray()).isEqualTo(content);
        assertThat(StorageProxy.crc32cOf(file)).isEqualTo(StorageProxy.crc32cOf(content));
    }

    @Test
    void downloadsStreamToAFileWithTheChecksumTakenOnTheWay(@TempDir Path dir) throws IOException {
        byte[] content = random(300_000);
        TransferTicket ticket = proxy.offerDownload(TOKEN, content);

        StorageProxy.Download download = client.download(ticket, dir.resolve("out.bin"));

        assertThat(Files.readAllBytes(download.file())).isEqualTo(content);
        assertThat(download.bytes()).isEqualTo(content.length);
        assertThat(download.crc32c()).isEqualTo(StorageProxy.crc32cOf(content)).hasSize(8);
        Path original = Files.write(dir.resolve("original.bin"), content);
        assertThat(StorageProxy.sameBytes(original, download.file())).isEqualTo(-1L);
        content[123_456] ^= 1;
        Files.write(original, content);
        assertThat(StorageProxy.sameBytes(original, download.file())).as("the first differing byte").isEqualTo(123_456L);
    }

    @Test
    void aMissingFileIsRefusedWithTheProxysProblemType(@TempDir Path dir) {
        TransferTicket ticket = new TransferTicket(proxy.url("/download"), "no-such-file");
        assertThatThrownBy(() -> client.download(ticket, dir.resolve("x")))
                .isInstanceOfSatisfying(StorageRefusal.class, refused -> {
                    assertThat(refused.status()).isEqualTo(404);
                    assertThat(refused.code()).isEqualTo("storage/file-not-found");
                });
    }

    @Test
    void aDownloadShorterThanAnnouncedFails(@TempDir Path dir) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    byte[] request = new byte[4096];
                    in.read(request);
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n"
                            + "only ten b").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException ignored) {
                    // the test checks the client's side
                }
            });
            TransferTicket ticket = new TransferTicket(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/download"),
                    TOKEN);
            assertThatThrownBy(() -> client.download(ticket, dir.resolve("short.bin")))
                    .hasMessageContaining("broke off").hasMessageNotContaining(TOKEN);
            serving.join();
        }
    }

    @Test
    void theTokenNeverShowsInTheRecordedExchangesNorInTheTicket() {
        byte[] content = random(5000);
        TransferTicket ticket = proxy.openUpload(TOKEN, content.length);
        client.upload(ticket, ByteSource.of(content), StorageProxy.UploadPlan.standard().withChunkSize(2000)
                .breakingOffAt(3000));

        assertThat(evidence).isNotEmpty();
        assertThat(evidence).allSatisfy(exchange -> {
            assertThat(exchange.render()).doesNotContain(TOKEN).doesNotContain("secret-payload");
            assertThat(exchange.uri()).contains("token=" + Redaction.HIDDEN);
        });
        assertThat(ticket.toString()).doesNotContain(TOKEN);
        assertThat(evidence).anySatisfy(exchange -> assertThat(exchange.responseBody()).startsWith("(no answer"));
    }

    @Test
    void instancesShareOneHttpClientPerConnectTimeout() {
        // Each JDK client owns a selector thread; ManagerClient.storage() makes an instance per call.
        StorageProxy another = new StorageProxy(Duration.ofSeconds(10), exchange -> { });
        StorageProxy shorter = new StorageProxy(Duration.ofSeconds(3), exchange -> { });

        assertThat(another.http()).isSameAs(client.http());
        assertThat(shorter.http()).isNotSameAs(client.http());
        assertThat(shorter.http().connectTimeout()).contains(Duration.ofSeconds(3));
        assertThat(client.http().connectTimeout()).contains(Duration.ofSeconds(10));
        assertThat(client.http().version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
    }
}
