package bai.scenarios.steps;

import bai.scenarios.world.Cast;
import bai.scenarios.world.FolderScene;
import bai.scenarios.world.FolderScene.OwnedFolder;
import io.cucumber.datatable.DataTable;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps of the data workflow: sales figures go up as CSV, and the revenue a computation wrote is
 * checked against the revenue computed here, independently, from the same figures.
 */
@Glossary(value = "Computing on folder data", order = 170)
public class SalesFigureSteps {
    private final Cast cast;
    private final FolderScene scene;

    public SalesFigureSteps(Cast cast, FolderScene scene) {
        this.cast = cast;
        this.scene = scene;
    }

    @Glossary(value = "someone uploads the table as a CSV file (header row first, comma-separated) to this path of"
            + " her folder", reads = "her/his folder", sets = "the sales figures")
    @Given("{actor} has uploaded these sales figures to {string} in her/his/their folder:")
    public void uploadsSalesFigures(String actor, String path, DataTable table) {
        List<Map<String, String>> rows = table.asMaps();
        StringBuilder csv = new StringBuilder(String.join(",", table.row(0))).append('\n');
        rows.forEach(row -> csv.append(String.join(",", table.row(0).stream().map(row::get).toList())).append('\n'));
        OwnedFolder folder = scene.of(cast.actor(actor).name());
        cast.actor(actor).client().folders().upload(folder.name(), path, csv.toString().getBytes(StandardCharsets.UTF_8));
        scene.salesFigures(rows);
    }

    @Glossary(value = "the file, downloaded from the last person's folder, is a CSV `region,revenue` with one line"
            + " per region (units × unit_price) in the figures' order and a `total` line, each equal to what this"
            + " step computes from the figures", reads = "the sales figures, the last person named's folder")
    @Then("{string} downloaded from her/his/their folder holds the revenue per region and in total of the sales figures")
    public void holdsRevenue(String path) {
        OwnedFolder folder = scene.of(cast.actor("she").name());
        Path target = scene.workspace().resolve("computed-result.csv");
        cast.actor(folder.owner()).client().folders().download(folder.name(), path, target);
        List<String> expected = new ArrayList<>();
        expected.add("region,revenue");
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, String> row : scene.salesFigures()) {
            BigDecimal revenue = new BigDecimal(row.get("units")).multiply(new BigDecimal(row.get("unit_price")));
            total = total.add(revenue);
            expected.add(row.get("region") + "," + revenue.toPlainString());
        }
        expected.add("total," + total.toPlainString());
        List<String> actual;
        try {
            actual = Files.readAllLines(target, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(actual).as("lines of %s", path).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            String[] want = expected.get(i).split(",");
            String[] got = actual.get(i).split(",");
            assertThat(got[0]).as("line %d's label", i + 1).isEqualTo(want[0]);
            if (i > 0) {
                assertThat(new BigDecimal(got[1])).as("revenue of %s", want[0]).isEqualByComparingTo(want[1]);
            }
        }
    }
}
