package bai.scenarios.timing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench.html}: the benchmark as a page people look at. Four charts drawn here as inline
 * SVG (no script, no stylesheet or font from elsewhere, so it opens offline): run time per
 * parallelism level, the speedup curve, the slowest scenarios by phase, and where the time goes
 * per phase at each level; then the numbers in tables.
 */
final class BenchPage {
    /** One colour per phase, "other" last; the same in every chart. */
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#76b7b2", "#e15759", "#59a14f", "#b07aa1", "#bab0ac"};
    private static final int WIDTH = 760;

    private BenchPage() {
    }

    static String render(JsonNode bench) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>bai-scenarios benchmark</title>\n")
                .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;max-width:980px;color:#222}")
                .append("h1{font-size:22px}h2{font-size:17px;margin-top:32px}table{border-collapse:collapse;margin:8px 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}")
                .append("td.l,th.l{text-align:left}.note{color:#555}svg{display:block;margin:8px 0}")
                .append("svg text{font:12px system-ui,sans-serif;fill:#222}.legend span{display:inline-block;margin-right:14px}")
                .append(".legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}</style>\n")
                .append("</head><body>\n<h1>bai-scenarios benchmark</h1>\n");
        JsonNode machine = bench.path("machine");
        html.append("<p>").append(esc(bench.path("scenarios").asText("?"))).append(" scenarios")
                .append(bench.path("tag_expression").asText("").isEmpty() ? ""
                        : " (tags <code>" + esc(bench.path("tag_expression").asText()) + "</code>)")
                .append(", ").append(bench.path("runs_per_level").asInt()).append(" run(s) per level, on ")
                .append(machine.path("cores").asInt()).append(" cores; ")
                .append(esc(bench.path("target").asText(""))).append("; ")
                .append(esc(bench.path("contract_check").asText(""))).append(".</p>\n")
                .append(String.format(Locale.ROOT, "<p class=\"note\">Load average around the runs: %.1f to %.1f"
                        + " (%s). Run time is the scenarios' own wall time (first to last scenario), from"
                        + " <code>run-info.json</code>; Maven and JVM start are listed apart.</p>\n",
                        machine.path("load_min").asDouble(), machine.path("load_max").asDouble(),
                        esc(machine.path("load_note").asText())));
        JsonNode choice = bench.path("choice");
        if (choice.has("recommended_threads")) {
            html.append("<p><b>Recommended parallelism: ").append(choice.path("recommended_threads").asInt())
                    .append(" scenario threads</b> (fastest: ").append(choice.path("fastest_threads").asInt())
                    .append("; rule: ").append(esc(choice.path("rule").asText())).append(").</p>\n");
        } else {
            html.append("<p><b>No level passed every run.</b></p>\n");
        }
        JsonNode levels = bench.path("levels");
        html.append("<h2>Run time per level</h2>\n").append(runTimes(levels));
        html.append("<h2>Speedup over ").append(levels.path(0).path("threads").asInt())
                .append(" thread(s)</h2>\n").append(speedup(levels));
        html.append("<h2>Where the time goes, per phase</h2>\n<p class=\"note\">Each scenario's time split by"
                + " phase (the suite's own clocks), summed over the run; median over the runs of each level. More"
                + " threads stretch each scenario (they share 2 cores and the emulator's agents), so the sum grows"
                + " while the run gets shorter.</p>\n").append(legend()).append(phases(levels));
        html.append("<h2>The ").append(bench.path("slowest").size()).append(" slowest scenarios</h2>\n")
                .append("<p class=\"note\">Median over the runs at ").append(bench.path("slowest_at_threads").asInt())
                .append(" thread(s), split by phase.</p>\n").append(legend()).append(slowest(bench.path("slowest")));
        html.append("<h2>Numbers per level</h2>\n").append(levelTable(levels));
        html.append("<h2>Every run</h2>\n").append(runTable(bench.path("runs")));
        html.append("<p class=\"note\">Generated ").append(esc(bench.path("generated").asText()))
                .append(" by <code>.ci/bench</code>; the data is in <code>bench.json</code>.</p>\n</body></html>\n");
        return html.toString();
    }

    private static String runTimes(JsonNode levels) {
        int n = Math.max(1, levels.size());
        int height = 260;
        int left = 60;
        int bottom = 30;
        int top = 16;
        double max = 0;
        for (JsonNode l : levels) {
            max = Math.max(max, l.path("max_scenario_wall_ms").asDouble());
        }
        max = niceCeiling(max / 1000.0);
        double plotH = height - bottom - top;
        double slot = (WIDTH - left - 10.0) / n;
        StringBuilder svg = svgOpen(height, "Median run time per parallelism level, with the fastest and slowest run");
        axisY(svg, left, top, plotH, max, "s");
        int i = 0;
        for (JsonNode l : levels) {
            double x = left + slot * i + slot * 0.2;
            double w = slot * 0.6;
            double median = l.path("median_scenario_wall_ms").asDouble() / 1000.0;
            double y = top + plotH * (1 - median / max);
            svg.append(rect(x, y, w, top + plotH - y, l.path("failed_runs").asInt() > 0 ? "#e15759" : "#4e79a7"));
            double lo = top + plotH * (1 - l.path("min_scenario_wall_ms").asDouble() / 1000.0 / max);
            double hi = top + plotH * (1 - l.path("max_scenario_wall_ms").asDouble() / 1000.0 / max);
            double cx = x + w / 2;
            svg.append(line(cx, lo, cx, hi, "#222", 1.5)).append(line(cx - 6, lo, cx + 6, lo, "#222", 1.5))
                    .append(line(cx - 6, hi, cx + 6, hi, "#222", 1.5));
            svg.append(text(cx, y - 6, String.format(Locale.ROOT, "%.1f s", median), "middle"));
            svg.append(text(cx, height - 10, l.path("threads").asInt() + " threads", "middle"));
            i++;
        }
        return svg.append("</svg>\n").toString();
    }

    private static String speedup(JsonNode levels) {
        int height = 260;
        int left = 60;
        int bottom = 30;
        int top = 16;
        double max = 1;
        for (JsonNode l : levels) {
            max = Math.max(max, l.path("speedup").asDouble());
        }
        max = niceCeiling(max * 1.15);
        double plotH = height - bottom - top;
        int n = Math.max(1, levels.size());
        double slot = (WIDTH - left - 10.0) / n;
        StringBuilder svg = svgOpen(height, "Speedup per level (solid) and the ideal, linear speedup (dashed)");
        axisY(svg, left, top, plotH, max, "x");
        List<double[]> measured = new ArrayList<>();
        List<double[]> ideal = new ArrayList<>();
        int i = 0;
        for (JsonNode l : levels) {
            double cx = left + slot * i + slot / 2;
            measured.add(new double[] {cx, top + plotH * (1 - l.path("speedup").asDouble() / max)});
            ideal.add(new double[] {cx, top + plotH * (1 - Math.min(max, l.path("ideal_speedup").asDouble()) / max)});
            svg.append(text(cx, height - 10, l.path("threads").asInt() + " threads", "middle"));
            i++;
        }
        svg.append(polyline(ideal, "#999", "5,4"));
        svg.append(polyline(measured, "#4e79a7", null));
        i = 0;
        for (double[] p : measured) {
            JsonNode l = levels.get(i++);
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>", p[0], p[1],
                    l.path("failed_runs").asInt() > 0 ? "#e15759" : "#4e79a7"));
            svg.append(text(p[0], p[1] - 8, "x" + l.path("speedup").asText(), "middle"));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String phases(JsonNode levels) {
        int row = 26;
        int left = 90;
        int height = 20 + row * Math.max(1, levels.size());
        double max = 0;
        for (JsonNode l : levels) {
            double sum = 0;
            for (JsonNode ms : l.path("phases_ms")) {
                sum += ms.asDouble();
            }
            max = Math.max(max, sum);
        }
        max = Math.max(1, max);
        StringBuilder svg = svgOpen(height, "Summed scenario time per phase at each level");
        int i = 0;
        for (JsonNode l : levels) {
            double y = 10 + row * i;
            svg.append(text(left - 8, y + 15, l.path("threads").asInt() + " threads", "end"));
            double total = stacked(svg, l.path("phases_ms"), left, y, WIDTH - left - 90, row - 8, max);
            svg.append(text(left + (WIDTH - left - 90) * total / max + 6, y + 15,
                    String.format(Locale.ROOT, "%.0f s", total / 1000), "start"));
            i++;
        }
        return svg.append("</svg>\n").toString();
    }

    private static String slowest(JsonNode slowest) {
        int row = 24;
        int left = 330;
        int height = 10 + row * Math.max(1, slowest.size());
        double max = 1;
        for (JsonNode s : slowest) {
            max = Math.max(max, s.path("median_ms").asDouble());
        }
        StringBuilder svg = svgOpen(height, "The slowest scenarios, split by phase");
        int i = 0;
        for (JsonNode s : slowest) {
            double y = 6 + row * i;
            String name = s.path("name").asText();
            svg.append("<g><title>").append(esc(name + " (" + s.path("where").asText() + ")")).append("</title>")
                    .append(text(left - 8, y + 14, name.length() > 52 ? name.substring(0, 51) + "…" : name, "end"))
                    .append("</g>");
            stacked(svg, s.path("phases_ms"), left, y, WIDTH - left - 70, row - 6, max);
            svg.append(text(left + (WIDTH - left - 70) * s.path("median_ms").asDouble() / max + 6, y + 14,
                    String.format(Locale.ROOT, "%.1f s", s.path("median_ms").asDouble() / 1000), "start"));
            i++;
        }
        return svg.append("</svg>\n").toString();
    }

    /** Draws one horizontal bar of phases; returns its total. */
    private static double stacked(StringBuilder svg, JsonNode phases, double left, double y, double width, double h,
                                  double max) {
        double x = left;
        double total = 0;
        List<String> keys = BenchReport.phaseKeys();
        for (int k = 0; k < keys.size(); k++) {
            double ms = phases.path(keys.get(k)).asDouble();
            double w = width * ms / max;
            if (w > 0) {
                svg.append("<g><title>").append(esc(PhaseTotals.label(keys.get(k))))
                        .append(String.format(Locale.ROOT, ": %.1f s", ms / 1000)).append("</title>")
                        .append(rect(x, y, w, h, COLOURS[k % COLOURS.length])).append("</g>");
            }
            x += w;
            total += ms;
        }
        return total;
    }

    private static String legend() {
        StringBuilder html = new StringBuilder("<p class=\"legend\">");
        List<String> keys = BenchReport.phaseKeys();
        for (int k = 0; k < keys.size(); k++) {
            html.append("<span><i style=\"background:").append(COLOURS[k % COLOURS.length]).append("\"></i>")
                    .append(esc(PhaseTotals.label(keys.get(k)))).append("</span>");
        }
        return html.append("</p>\n").toString();
    }

    private static String levelTable(JsonNode levels) {
        StringBuilder html = new StringBuilder("<table><tr><th>threads</th><th>runs</th><th>failed runs</th>"
                + "<th>median run time</th><th>fastest–slowest</th><th>speedup</th><th>Maven wall (median)</th>"
                + "<th>JVM start to run</th><th>test JVM CPU</th><th>requests</th><th>summed scenario time</th><th>heap peak</th>"
                + "<th>threads peak</th></tr>\n");
        for (JsonNode l : levels) {
            html.append("<tr><td>").append(l.path("threads").asInt()).append("</td><td>").append(l.path("runs").asInt())
                    .append("</td><td>").append(l.path("failed_runs").asInt()).append("</td><td>")
                    .append(seconds(l.path("median_scenario_wall_ms"))).append("</td><td>")
                    .append(seconds(l.path("min_scenario_wall_ms"))).append("–")
                    .append(seconds(l.path("max_scenario_wall_ms"))).append("</td><td>x")
                    .append(l.path("speedup").asText()).append("</td><td>")
                    .append(seconds(l.path("median_maven_wall_ms"))).append("</td><td>")
                    .append(seconds(l.path("median_jvm_start_to_run_ms"))).append("</td><td>")
                    .append(seconds(l.path("median_jvm_cpu_ms"))).append("</td><td>")
                    .append(l.path("median_requests").asLong()).append("</td><td>")
                    .append(seconds(l.path("median_scenario_time_ms"))).append("</td><td>")
                    .append(l.path("median_heap_peak_mb").asLong()).append(" MB</td><td>")
                    .append(l.path("median_threads_peak").asLong()).append("</td></tr>\n");
        }
        html.append("</table>\n<table><tr><th>threads</th>");
        for (String key : BenchReport.phaseKeys()) {
            html.append("<th>").append(esc(PhaseTotals.label(key))).append("</th>");
        }
        html.append("</tr>\n");
        for (JsonNode l : levels) {
            html.append("<tr><td>").append(l.path("threads").asInt()).append("</td>");
            for (String key : BenchReport.phaseKeys()) {
                html.append("<td>").append(seconds(l.path("phases_ms").path(key))).append("</td>");
            }
            html.append("</tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    private static String runTable(JsonNode runs) {
        StringBuilder html = new StringBuilder("<table><tr><th>threads</th><th>round</th><th>passed</th>"
                + "<th>run time</th><th>Maven wall</th><th>requests</th><th>load before</th><th>load after</th></tr>\n");
        for (JsonNode r : runs) {
            html.append("<tr><td>").append(r.path("threads").asInt()).append("</td><td>").append(r.path("round").asInt())
                    .append("</td><td>").append(r.path("passed").asBoolean() ? "yes" : "<b>no</b>").append("</td><td>")
                    .append(seconds(r.path("scenario_wall_ms"))).append("</td><td>")
                    .append(seconds(r.path("maven_wall_ms"))).append("</td><td>")
                    .append(r.path("requests").asText("–")).append("</td><td>")
                    .append(r.path("load_before").asText("–")).append("</td><td>")
                    .append(r.path("load_after").asText("–")).append("</td></tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    // --- SVG pieces

    private static StringBuilder svgOpen(int height, String title) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>%s</title>",
                WIDTH, height, WIDTH, height, esc(title)));
    }

    private static void axisY(StringBuilder svg, int left, int top, double plotH, double max, String unit) {
        for (int t = 0; t <= 4; t++) {
            double value = max * t / 4;
            double y = top + plotH * (1 - (double) t / 4);
            svg.append(line(left, y, WIDTH - 10, y, t == 0 ? "#222" : "#e4e4e4", 1));
            String label = unit.equals("x") ? String.format(Locale.ROOT, "x%.1f", value)
                    : String.format(Locale.ROOT, value == Math.rint(value) ? "%.0f %s" : "%.1f %s", value, unit);
            svg.append(text(left - 6, y + 4, label, "end"));
        }
    }

    private static String rect(double x, double y, double w, double h, String fill) {
        return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                x, y, Math.max(0, w), Math.max(0, h), fill);
    }

    private static String line(double x1, double y1, double x2, double y2, String stroke, double width) {
        return String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"/>",
                x1, y1, x2, y2, stroke, width);
    }

    private static String polyline(List<double[]> points, String stroke, String dash) {
        StringBuilder pts = new StringBuilder();
        for (double[] p : points) {
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
        }
        return "<polyline fill=\"none\" stroke=\"" + stroke + "\" stroke-width=\"2\""
                + (dash == null ? "" : " stroke-dasharray=\"" + dash + "\"") + " points=\"" + pts.toString().trim() + "\"/>";
    }

    private static String text(double x, double y, String text, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor,
                esc(text));
    }

    private static double niceCeiling(double value) {
        if (value <= 0 || Double.isNaN(value)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String seconds(JsonNode ms) {
        return ms.isNull() || ms.isMissingNode() ? "–" : String.format(Locale.ROOT, "%.1f s", ms.asDouble() / 1000);
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
