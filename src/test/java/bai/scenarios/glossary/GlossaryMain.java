package bai.scenarios.glossary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates {@code features/GLOSSARY.md} (and {@code reports/glossary.html}) from the glue:
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=bai.scenarios.glossary.GlossaryMain}.
 */
public final class GlossaryMain {
    static final Path MARKDOWN = Path.of("features", "GLOSSARY.md");

    private GlossaryMain() {
    }

    public static void main(String[] args) throws IOException {
        StepGlossary glossary = StepGlossary.build(Path.of("features"));
        Files.writeString(MARKDOWN, GlossaryMarkdown.render(glossary));
        Files.createDirectories(Path.of("reports"));
        Files.writeString(Path.of("reports", "glossary.html"), GlossaryHtml.render(glossary));
        System.out.println("Wrote " + MARKDOWN + " and reports/glossary.html: " + glossary.steps().size() + " steps in "
                + glossary.groups().size() + " groups.");
        if (!glossary.undocumented().isEmpty()) {
            System.out.println("Undocumented (add @Glossary): " + glossary.undocumented());
        }
        glossary.mismatches().forEach(m -> System.out.println((m.matches().isEmpty() ? "Undefined" : "Ambiguous")
                + " step at " + m.location() + ": " + m.text() + (m.matches().isEmpty() ? "" : " matches " + m.matches())));
    }
}
