package bai.scenarios.timing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class JdkClassArchiveTest {
    private static final String JDK = "/opt/jdk\n17.0.15+6\n";

    @TempDir
    Path dir;

    private final List<Path> dumped = new ArrayList<>();

    /** A dumper that writes a stand-in archive (the real one is below). */
    private final JdkClassArchive.Dumper fakeDump = (list, archive, log) -> {
        dumped.add(list);
        Files.writeString(archive, "archive of " + Files.readString(list));
        return true;
    };

    @Test
    void aFreshCloneRecordsTheClassListAndDumpsNothing() throws Exception {
        JdkClassArchive.Decision decision = JdkClassArchive.prepare(dir, true, JDK, fakeDump);
        assertThat(decision.flags()).containsExactly("-XX:DumpLoadedClassList=" + dir.resolve("classes.lst"));
        assertThat(dumped).isEmpty();
        assertThat(dir.resolve("jdk.jsa")).doesNotExist();
    }

    @Test
    void theNextRunDumpsFromTheListAndMapsTheArchiveAtOnce() throws Exception {
        Files.writeString(dir.resolve("classes.lst"), "java/lang/Object\n");
        JdkClassArchive.Decision decision = JdkClassArchive.prepare(dir, true, JDK, fakeDump);
        assertThat(dumped).containsExactly(dir.resolve("jdk-classes.lst"));
        assertThat(dir.resolve("jdk.jsa")).hasContent("archive of java/lang/Object\n");
        assertThat(dir.resolve("jdk.jsa.part")).doesNotExist();
        assertThat(decision.flags()).containsExactly("-XX:SharedArchiveFile=" + dir.resolve("jdk.jsa"), "-Xshare:auto",
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

        JdkClassArchive.Decision later = JdkClassArchive.prepare(dir, true, JDK, fakeDump);
        assertThat(later.flags()).isEqualTo(decision.flags());
        assertThat(dumped).as("dumped once").hasSize(1);
    }

    @Test
    void anArchiveOfAnotherJdkIsDumpedAgainOrNotUsed() throws Exception {
        Files.writeString(dir.resolve("jdk.jsa"), "old");
        Files.writeString(dir.resolve("jdk.jsa.jdk"), "/opt/jdk\n17.0.14+7\n");
        assertThat(JdkClassArchive.prepare(dir, true, JDK, fakeDump).flags()).as("no list: not used, list recorded")
                .containsExactly("-XX:DumpLoadedClassList=" + dir.resolve("classes.lst"));

        Files.writeString(dir.resolve("classes.lst"), "java/lang/Object\n");
        assertThat(JdkClassArchive.prepare(dir, true, JDK, fakeDump).flags())
                .contains("-XX:SharedArchiveFile=" + dir.resolve("jdk.jsa"));
        assertThat(dir.resolve("jdk.jsa.jdk")).hasContent(JDK);
    }

    @Test
    void aFailedDumpLeavesNoArchiveAndTheRunGoesWithout() throws Exception {
        Files.writeString(dir.resolve("classes.lst"), "java/lang/Object\n");
        JdkClassArchive.Decision decision = JdkClassArchive.prepare(dir, true, JDK, (list, archive, log) -> {
            Files.writeString(archive, "half");
            return false;
        });
        assertThat(decision.flags()).containsExactly("-XX:DumpLoadedClassList=" + dir.resolve("classes.lst"));
        assertThat(decision.summary()).contains("not built").contains("dump.log");
        assertThat(dir.resolve("jdk.jsa")).doesNotExist();
        assertThat(dir.resolve("jdk.jsa.part")).doesNotExist();
    }

    @Test
    void onlyTheJdksOwnLinesAreDumped() throws Exception {
        Files.writeString(dir.resolve("classes.lst"), String.join("\n",
                "# NOTE: generated",
                "java/lang/Object",
                "sun/nio/ch/SocketChannelImpl",
                "io/undertow/Undertow",
                "bai/scenarios/RunCucumberIT",
                "bai/scenarios/Loaded id: 7 super: 0 source: /some/where.jar",
                "@lambda-proxy java/util/stream/Collectors get ()Ljava/util/function/Supplier; ()Ljava/lang/Object;",
                "@lambda-proxy io/undertow/Undertow run ()Ljava/lang/Runnable; ()V",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L",
                ""));
        JdkClassArchive.prepare(dir, true, JDK, fakeDump);
        assertThat(dumped).containsExactly(dir.resolve("jdk-classes.lst"));
        assertThat(Files.readAllLines(dir.resolve("jdk-classes.lst"))).containsExactly(
                "# NOTE: generated",
                "java/lang/Object",
                "sun/nio/ch/SocketChannelImpl",
                "@lambda-proxy java/util/stream/Collectors get ()Ljava/util/function/Supplier; ()Ljava/lang/Object;",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L");
    }

    @Test
    void offMeansNoFlags() throws Exception {
        Files.writeString(dir.resolve("classes.lst"), "java/lang/Object\n");
        assertThat(JdkClassArchive.prepare(dir, false, JDK, fakeDump).flags()).isEmpty();
        assertThat(dumped).isEmpty();
    }

    @Test
    void theArgumentFileQuotesEachFlag() {
        assertThat(JdkClassArchive.argumentFile(List.of("-XX:SharedArchiveFile=/a b/c\\d.jsa", "-Xshare:auto")))
                .endsWith("\"-XX:SharedArchiveFile=/a b/c\\\\d.jsa\"\n\"-Xshare:auto\"\n");
        assertThat(JdkClassArchive.argumentFile(List.of())).startsWith("#").doesNotContain("\"");
    }

    /** With this JDK for real: a small list dumps, and a JVM started with the written flags maps it. */
    @Test
    void mainDumpsAnArchiveThisJvmMaps() throws Exception {
        Files.writeString(dir.resolve("classes.lst"), "java/lang/Object\njava/util/ArrayList\nbai/scenarios/NotJdk\n");
        JdkClassArchive.main(new String[] {dir.toString()});
        assertThat(dir.resolve("jdk.jsa")).isRegularFile();
        String args = Files.readString(dir.resolve("jvm.args"));
        assertThat(args).contains("-XX:SharedArchiveFile=" + dir.resolve("jdk.jsa"));

        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + dir.resolve("jvm.args"), "-Xshare:on", "-version").redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).as("mapped, and nothing said about it").contains("sharing").doesNotContain("cds");
    }

    @Test
    void mainNeverFailsAndAlwaysWritesTheFile() throws IOException {
        Path blocked = Files.writeString(dir.resolve("not-a-dir"), "x");
        JdkClassArchive.main(new String[] {blocked.resolve("cds").toString()});
        assertThat(blocked).hasContent("x");

        JdkClassArchive.main(new String[] {dir.resolve("cds").toString(), "off"});
        assertThat(Files.readString(dir.resolve("cds").resolve("jvm.args"))).startsWith("#").doesNotContain("-XX");
    }
}
