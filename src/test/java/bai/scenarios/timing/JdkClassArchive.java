package bai.scenarios.timing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The scenario JVM's class-data archive of the JDK's own classes (README, "Speed"): the build runs
 * this before the scenarios ({@code exec:java}, pre-integration-test), and it writes
 * {@code target/cds/jvm.args}, which Failsafe's {@code argLine} reads as a Java argument file.
 *
 * <ul>
 *   <li>No archive yet (a fresh clone, after {@code mvn clean}): the flags make the scenario JVM
 *       record the classes it loads ({@code -XX:DumpLoadedClassList}; costs nothing noticeable).</li>
 *   <li>A class list from an earlier run, and no archive for this JDK: dumps a static archive of
 *       the JDK classes on it ({@code -Xshare:dump}, once: ~5 s of CPU) and uses it at once.</li>
 *   <li>An archive for this JDK: the flags map it in place of the JDK's default one.</li>
 * </ul>
 *
 * Only JDK classes can be archived: on JDK 17 (and still on 25) an archive of application classes
 * refuses a class path with a non-empty directory, and Failsafe's starts with
 * {@code target/test-classes}. Nothing here can fail the build or the run: a failed dump is
 * logged to {@code target/cds/dump.log} and the scenarios run without an archive; a mapped archive
 * that does not match the JVM after all is ignored by it quietly ({@code -Xshare:auto}, the CDS
 * log off) and costs only its speed.
 */
public final class JdkClassArchive {
    static final String ARGS = "jvm.args";
    static final String LIST = "classes.lst";
    /** The JDK's lines of {@link #LIST}: what is dumped. */
    static final String JDK_LIST = "jdk-classes.lst";
    static final String ARCHIVE = "jdk.jsa";
    /** Which JDK dumped the archive (its home and VM version): an archive maps only into that one. */
    static final String STAMP = "jdk.jsa.jdk";
    static final String LOG = "dump.log";
    private static final Duration DUMP_TIMEOUT = Duration.ofMinutes(5);

    /** Dumps an archive of the classes on {@code list} to {@code archive}; true if it did. */
    @FunctionalInterface
    interface Dumper {
        boolean dump(Path list, Path archive, Path log) throws IOException, InterruptedException;
    }

    /** What {@link #prepare} decided: the argument file's flags and one line saying why. */
    record Decision(List<String> flags, String summary) {
    }

    private JdkClassArchive() {
    }

    /** {@code <target/cds> [on|off]}: writes the argument file; never fails the build. */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/cds").toAbsolutePath();
        boolean on = args.length < 2 || !args[1].trim().toLowerCase(Locale.ROOT).equals("off");
        Decision decision;
        try {
            decision = prepare(dir, on, currentJdk(), JdkClassArchive::dumpWithThisJdk);
        } catch (IOException | RuntimeException e) {
            decision = new Decision(List.of(), "not used (" + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            decision = new Decision(List.of(), "not used (interrupted)");
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(ARGS), argumentFile(decision.flags()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("bai-scenarios: cannot write " + dir.resolve(ARGS) + ": " + e);
            return;
        }
        System.out.println("bai-scenarios JDK class-data archive: " + decision.summary());
    }

    /**
     * Decides the scenario JVM's flags in {@code dir}, dumping an archive first when a class list
     * is there and no archive for {@code jdk} is.
     */
    static Decision prepare(Path dir, boolean on, String jdk, Dumper dumper) throws IOException, InterruptedException {
        if (!on) {
            return new Decision(List.of(), "off (bai.it.cds=off)");
        }
        Files.createDirectories(dir);
        Path archive = dir.resolve(ARCHIVE);
        Path stamp = dir.resolve(STAMP);
        Path list = dir.resolve(LIST);
        if (isFor(archive, stamp, jdk)) {
            return new Decision(useArchive(archive), "mapped from " + archive);
        }
        if (!Files.isRegularFile(list) || Files.size(list) == 0) {
            return new Decision(recordList(list), "none yet; this run records the classes it loads in " + list);
        }
        Path part = dir.resolve(ARCHIVE + ".part");
        Files.deleteIfExists(part);
        Files.deleteIfExists(stamp);
        long began = System.nanoTime();
        Path jdkList = dir.resolve(JDK_LIST);
        Files.write(jdkList, jdkLines(Files.readAllLines(list, StandardCharsets.UTF_8), jdkPackages()),
                StandardCharsets.UTF_8);
        if (!dumper.dump(jdkList, part, dir.resolve(LOG)) || !Files.isRegularFile(part)) {
            Files.deleteIfExists(part);
            return new Decision(recordList(list), "not built (see " + dir.resolve(LOG) + "); this run goes without");
        }
        Files.move(part, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(stamp, jdk, StandardCharsets.UTF_8);
        return new Decision(useArchive(archive), "built " + archive + " from the last run's class list in "
                + (System.nanoTime() - began) / 1_000_000 + " ms; mapped from now on");
    }

    /**
     * The lines of a class list ({@code -XX:DumpLoadedClassList}) about the JDK's own classes:
     * classes in {@code jdkPackages}, and lambda proxies and lambda-form invokers they use. The
     * application's lines are dropped: they could not be archived, only complained about.
     */
    static List<String> jdkLines(List<String> classList, Set<String> jdkPackages) {
        List<String> kept = new ArrayList<>();
        for (String line : classList) {
            String[] words = line.trim().split("\\s+");
            if (words[0].isEmpty() || words[0].startsWith("#") || words[0].equals("@lambda-form-invoker")) {
                kept.add(line);
            } else if (words[0].equals("@lambda-proxy")) {
                if (words.length > 1 && isJdk(words[1], jdkPackages)) {
                    kept.add(line);
                }
            } else if (!words[0].startsWith("@") && !line.contains(" source:") && isJdk(words[0], jdkPackages)) {
                kept.add(line);
            }
        }
        return kept;
    }

    private static boolean isJdk(String binaryName, Set<String> jdkPackages) {
        int slash = binaryName.lastIndexOf('/');
        return slash > 0 && jdkPackages.contains(binaryName.substring(0, slash).replace('/', '.'));
    }

    /** The packages of the JDK's modules (this JVM's boot layer: the same JDK as the scenario JVM's). */
    static Set<String> jdkPackages() {
        Set<String> packages = new HashSet<>();
        ModuleLayer.boot().modules().forEach(module -> packages.addAll(module.getPackages()));
        return packages;
    }

    /** This JVM's identity as an archive needs it to match: its home and VM version. */
    static String currentJdk() {
        return System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version") + "\n";
    }

    private static boolean isFor(Path archive, Path stamp, String jdk) throws IOException {
        return Files.isRegularFile(archive) && Files.isRegularFile(stamp)
                && Files.readString(stamp, StandardCharsets.UTF_8).equals(jdk);
    }

    /** Mapped in place of the JDK's default archive; if it cannot be, the JVM runs on quietly. */
    static List<String> useArchive(Path archive) {
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    static List<String> recordList(Path list) {
        return List.of("-XX:DumpLoadedClassList=" + list);
    }

    /** One argument a line, each quoted (a path may hold spaces), backslashes doubled as the format wants. */
    static String argumentFile(List<String> flags) {
        StringBuilder file = new StringBuilder("# Written by bai.scenarios.timing.JdkClassArchive before the scenarios\n");
        flags.forEach(flag -> file.append('"').append(flag.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        return file.toString();
    }

    /**
     * A static archive of the JDK classes on {@code list}, dumped by this JDK with an empty class
     * path: application classes on the list are skipped (they cannot be archived here), and an
     * archive that holds none maps under any class path.
     */
    static boolean dumpWithThisJdk(Path list, Path archive, Path log) throws IOException, InterruptedException {
        Path noClasses = Files.createDirectories(archive.resolveSibling("empty"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + archive,
                "-Xlog:cds=warning", "-cp", noClasses.toString()));
        Process dump = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!dump.waitFor(DUMP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            dump.destroyForcibly();
            Files.writeString(log, "\n(stopped after " + DUMP_TIMEOUT.toMinutes() + " min)\n",
                    java.nio.file.StandardOpenOption.APPEND);
            return false;
        }
        return dump.exitValue() == 0;
    }
}
