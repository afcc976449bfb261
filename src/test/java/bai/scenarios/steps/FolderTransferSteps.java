package bai.scenarios.steps;

import bai.scenarios.client.FoldersApi;
import bai.scenarios.client.storage.ByteSource;
import bai.scenarios.client.storage.StorageProxy;
import bai.scenarios.client.storage.StorageProxy.UploadPlan;
import bai.scenarios.world.Cast;
import bai.scenarios.world.FolderScene;
import bai.scenarios.world.FolderScene.OwnedFolder;
import bai.scenarios.world.FolderScene.SizedFile;
import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps about moving files of a given size through the storage proxy: random content made here,
 * checksums compared, resumption proven. Throughput is measured, not asserted: each transfer
 * prints its rate and attaches it to the scenario's report.
 */
@Glossary(value = "Large files and resumed uploads", order = 155)
public class FolderTransferSteps {
    private final Cast cast;
    private final FolderScene scene;
    private Scenario scenario;

    public FolderTransferSteps(Cast cast, FolderScene scene) {
        this.cast = cast;
        this.scene = scene;
    }

    @Before
    public void remember(Scenario current) {
        scenario = current;
    }

    private SizedFile randomFile(long size) {
        Path file = scene.workspace().resolve("random-" + size + ".bin");
        // SplittableRandom, eight bytes a draw: Random.nextBytes (four, each a CAS) was slow under C1.
        SplittableRandom random = new SplittableRandom(size);
        ByteBuffer block = ByteBuffer.allocate(1024 * 1024);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.capacity()) {
                block.clear();
                while (block.hasRemaining()) {
                    block.putLong(random.nextLong());
                }
                out.write(block.array(), 0, (int) Math.min(block.capacity(), left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new SizedFile("random-" + size + ".bin", file, size, StorageProxy.crc32cOf(file));
    }

    private void upload(String actor, long size, UploadPlan plan) {
        OwnedFolder folder = scene.of(cast.actor(actor).name());
        SizedFile file = randomFile(size);
        scene.sizedFile(file);
        StorageProxy.UploadReport report = cast.actor(actor).client().folders().upload(folder.name(), file.path(),
                ByteSource.of(file.local()), plan);
        scene.lastUpload(report);
        measured("upload", report.size(), report.elapsed(), report.patches() + " PATCH request(s), "
                + report.resumes() + " resumption(s)");
    }

    private void measured(String what, long bytes, Duration elapsed, String detail) {
        double mib = bytes / (1024.0 * 1024.0);
        double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        String line = String.format(Locale.ROOT, "%s of %.1f MiB in %.2f s: %.1f MiB/s (%s)", what, mib, seconds,
                mib / seconds, detail);
        System.out.println("bai-scenarios throughput: " + line + " [" + scenario.getName() + "]");
        scenario.attach(line, "text/plain", "Throughput: " + what);
    }

    @Glossary(value = "someone uploads a file of this size, random bytes made here, to her folder in 4 MiB"
            + " chunks; the rate is printed and attached to the report", reads = "her/his folder",
            sets = "that file")
    @When("{actor} uploads a {size} file of random bytes to her/his/their folder")
    public void uploadsSized(String actor, Long size) {
        upload(actor, size, UploadPlan.standard());
    }

    @Glossary(value = "as the step above in 2 MiB chunks, but one PATCH request is dropped by the client once this"
            + " many bytes are on their way; the client asks the storage proxy for its offset and goes on from there",
            reads = "her/his folder", sets = "that file")
    @When("{actor} uploads a {size} file of random bytes to her/his/their folder, the transfer breaking off after {size}")
    public void uploadsBreakingOff(String actor, Long size, Long breakOff) {
        upload(actor, size, UploadPlan.standard().withChunkSize(2 * 1024 * 1024).breakingOffAt(breakOff));
    }

    @Glossary(value = "someone downloads that file from her folder, streamed to a scratch file with its CRC32C"
            + " taken on the way; the rate is printed and attached to the report", reads = "that file, her/his folder")
    @When("{actor} downloads that file from her/his/their folder")
    public void downloadsThatFile(String actor) {
        OwnedFolder folder = scene.of(cast.actor(actor).name());
        SizedFile file = scene.sizedFile();
        StorageProxy.Download download = cast.actor(actor).client().folders().download(folder.name(), file.path(),
                scene.workspace().resolve("downloaded-" + file.path()));
        scene.lastDownload(download);
        measured("download", download.bytes(), download.elapsed(), "crc32c " + download.crc32c());
    }

    @Glossary(value = "the last download has as many bytes as that file, each one the same (compared byte for"
            + " byte; a difference names its offset)", reads = "that file, the last download")
    @Then("the download is byte for byte the file she/he/they uploaded")
    public void downloadMatches() {
        SizedFile file = scene.sizedFile();
        StorageProxy.Download download = scene.lastDownload();
        assertThat(download.bytes()).as("bytes downloaded").isEqualTo(file.size());
        assertThat(StorageProxy.sameBytes(file.local(), download.file()))
                .as("first byte where the download differs from the file uploaded (-1: none)").isEqualTo(-1L);
    }

    @Glossary(value = "the last upload resumed exactly once, from an offset the storage proxy reported (never"
            + " beyond the break-off point) and went on to the end", reads = "that file")
    @Then("the upload resumed once, from the offset the storage proxy reported")
    public void resumedOnce() {
        StorageProxy.UploadReport report = scene.lastUpload();
        assertThat(report.resumedFrom()).as("offsets the upload resumed from").hasSize(1);
        assertThat(report.resumedFrom().get(0)).as("the offset resumed from").isBetween(0L, report.size());
        assertThat(report.bytesSent()).as("bytes sent, the broken-off part included").isGreaterThanOrEqualTo(report.size());
    }

    @Glossary(value = "downloading that file back from the last person's folder gives the same bytes (compared"
            + " byte for byte)", reads = "that file, the last person named's folder")
    @Then("her/his/their folder's copy of that file is byte for byte the file she/he/they uploaded")
    public void folderCopyMatches() {
        OwnedFolder folder = scene.of(cast.actor("she").name());
        SizedFile file = scene.sizedFile();
        FoldersApi folders = cast.actor(folder.owner()).client().folders();
        StorageProxy.Download download = folders.download(folder.name(), file.path(),
                scene.workspace().resolve("copy-" + file.path()));
        assertThat(download.bytes()).as("bytes of the folder's copy").isEqualTo(file.size());
        assertThat(StorageProxy.sameBytes(file.local(), download.file()))
                .as("first byte where the folder's copy differs from the file uploaded (-1: none)").isEqualTo(-1L);
    }
}
