package bai.scenarios.glossary;

import bai.scenarios.glossary.StepGlossary.Group;
import bai.scenarios.glossary.StepGlossary.ParameterDoc;
import bai.scenarios.glossary.StepGlossary.RefusalDoc;
import bai.scenarios.glossary.StepGlossary.StepDoc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The glossary as one self-contained page, {@code reports/glossary.html}, beside the living report:
 * the same content as the Markdown, with a filter box. Opens offline; loads nothing.
 */
public final class GlossaryHtml {
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern LINK = Pattern.compile("\\[([^]]+)]\\(#([^)]+)\\)");

    private GlossaryHtml() {
    }

    public static String render(StepGlossary glossary) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Step glossary</title>\n")
                .append("<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;")
                .append("line-height:1.45;color:#222}code{background:#f2f2f2;padding:0 .2em;border-radius:3px}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}")
                .append(".step{border-left:4px solid #88a;padding:.2em .8em;margin:.8em 0}.step h3{margin:.2em 0;")
                .append("font-size:1em}.kw{color:#557;font-weight:bold}.meta{color:#555;font-size:.92em}")
                .append("#filter{width:100%;font-size:1.1em;padding:.4em;margin:.5em 0 1em}</style></head><body>\n");
        html.append("<p><a href=\"cucumber.html\">← back to the report</a></p>\n<h1>Step glossary</h1>\n");
        html.append("<p>Every step the scenarios can use, generated from the glue code (also checked in as")
                .append(" <code>features/GLOSSARY.md</code>).</p>\n");
        paragraphs(html, GlossaryText.HOW_TO_READ);
        html.append("<input id=\"filter\" type=\"search\" placeholder=\"Filter steps, e.g. session, refused, Alice\"")
                .append(" oninput=\"filterSteps(this.value)\">\n");

        html.append("<h2>Words the steps refer to</h2>\n");
        table(html, GlossaryText.STATE_WORDS);
        html.append("<h2 id=\"parameter-types\">Parameter types</h2>\n<table><tr><th>parameter</th><th>accepts</th>")
                .append("<th>meaning</th></tr>\n");
        for (ParameterDoc p : glossary.parameterTypes()) {
            html.append("<tr><td><code>{").append(escape(p.name())).append("}</code></td><td>").append(inline(p.accepts()))
                    .append("</td><td>").append(inline(p.meaning())).append("</td></tr>\n");
        }
        html.append("</table>\n<p>Cucumber's own: <code>{string}</code>, <code>{int}</code>, <code>{word}</code>.</p>\n");
        html.append("<h2 id=\"refusals\">Refusals: \"Then the call is refused …\"</h2>\n");
        paragraphs(html, GlossaryText.REFUSALS);
        html.append("<table><tr><th>phrase</th><th>the manager's answers it accepts</th></tr>\n");
        for (RefusalDoc r : glossary.refusals()) {
            html.append("<tr><td><code>").append(escape(r.phrase())).append("</code></td><td>")
                    .append(inline(String.join("; ", r.accepts()))).append("</td></tr>\n");
        }
        html.append("</table>\n");
        for (Group group : glossary.groups()) {
            html.append("<h2 id=\"").append(GlossaryMarkdown.anchor(group.title())).append("\">")
                    .append(escape(group.title())).append("</h2>\n");
            for (StepDoc step : group.steps()) {
                html.append("<div class=\"step\"><h3><span class=\"kw\">").append(step.keyword())
                        .append("</span> <code>").append(escape(step.expression())).append("</code></h3>\n<div>")
                        .append(inline(step.meaning())).append("</div>\n<div class=\"meta\">Outcome: ")
                        .append(inline(GlossaryMarkdown.outcome(step)));
                if (!step.reads().isEmpty()) {
                    html.append("<br>Reads: ").append(escape(step.reads()));
                }
                if (!step.sets().isEmpty()) {
                    html.append("<br>Sets: ").append(escape(step.sets()));
                } else if (!step.keyword().equals("Then")) {
                    html.append("<br>Sets: nothing the later steps refer to");
                }
                html.append("<br>Example: ");
                if (step.example() == null) {
                    html.append("unused");
                } else {
                    html.append("<code>").append(escape(step.example().keyword() + " " + step.example().text()))
                            .append("</code> (").append(escape(step.example().location()))
                            .append(step.uses() > 1 ? "; used " + step.uses() + " times" : "").append(")");
                }
                html.append("</div></div>\n");
            }
        }
        html.append("<script>function filterSteps(q){q=q.toLowerCase();document.querySelectorAll('.step')")
                .append(".forEach(function(s){s.style.display=s.textContent.toLowerCase().indexOf(q)<0?'none':''});}")
                .append("</script>\n</body></html>\n");
        return html.toString();
    }

    private static void paragraphs(StringBuilder html, String text) {
        for (String paragraph : text.split("\n\n")) {
            html.append("<p>").append(inline(paragraph)).append("</p>\n");
        }
    }

    /** The Markdown table of the state words, as an HTML table (its lines after the intro). */
    private static void table(StringBuilder html, String markdown) {
        String[] lines = markdown.split("\n");
        html.append("<p>").append(inline(lines[0])).append("</p>\n<table>\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (!line.startsWith("|") || line.startsWith("| ---")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            String tag = html.toString().endsWith("<table>\n") ? "th" : "td";
            html.append("<tr>");
            for (String cell : cells) {
                html.append('<').append(tag).append('>').append(inline(cell.trim())).append("</").append(tag).append('>');
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String inline(String text) {
        Matcher code = CODE.matcher(escape(text));
        String withCode = code.replaceAll(m -> "<code>" + Matcher.quoteReplacement(m.group(1)) + "</code>");
        return LINK.matcher(withCode).replaceAll(m -> "<a href=\"#" + m.group(2) + "\">" + m.group(1) + "</a>");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
