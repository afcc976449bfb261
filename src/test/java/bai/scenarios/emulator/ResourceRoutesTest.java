package bai.scenarios.emulator;

import bai.scenarios.emulator.EmulatorCaller.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The resource routes over real HTTP: presets and whether they fit (computed from the emulated
 * agents' capacity and the keypair, project and domain limits), slot types, scaling groups, and
 * the usage reports built from the sessions that ran.
 */
class ResourceRoutesTest {
    private static final String DEFAULT_PROJECT = "2de2b969-1d04-48a6-af16-0bc8adb3c831";
    private static ManagerEmulator emulator;
    private static EmulatorCaller admin;
    private static EmulatorCaller user;

    @BeforeAll
    static void start() {
        emulator = ManagerEmulator.start("127.0.0.1", 0);
        admin = EmulatorCaller.superadmin(emulator.endpoint(), Duration.ofSeconds(60));
        user = EmulatorCaller.user(emulator.endpoint(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void presetsAreTheHalfstackOnesWithKnownSlotsOnly() {
        Answer answer = user.call("GET", "/resource/presets", null);
        assertThat(answer.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        answer.path("presets").forEach(p -> names.add(p.path("name").asText()));
        assertThat(names).containsExactly("cpu01-small", "cpu02-medium", "cpu03-large", "cuda01-small",
                "cuda02-medium", "cuda03-large");
        JsonNode small = answer.path("presets").get(0);
        assertThat(small.path("id").asText()).hasSize(36);
        assertThat(small.path("shared_memory").isNull()).isTrue();
        assertThat(small.path("resource_slots").toString()).isEqualTo("{\"cpu\":\"1\",\"mem\":\"1073741824\"}");
        // Slots the agents do not report (cuda.*) are dropped, as normalize_slots(ignore_unknown=True) drops them.
        JsonNode cuda = answer.path("presets").get(3);
        assertThat(cuda.path("resource_slots").toString()).isEqualTo("{\"cpu\":\"1\",\"mem\":\"4294967296\"}");
        assertThat(answer.path("presets").get(1).path("shared_memory").asText()).isEqualTo("1073741824");
    }

    @Test
    void checkPresetsTellsWhatFitsTheAgentsNowAndTheRemainingSlots() {
        Answer answer = user.call("POST", "/resource/check-presets", Map.of("group", "default"));
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
        Map<String, Boolean> allocatable = new java.util.LinkedHashMap<>();
        answer.path("presets").forEach(p -> allocatable.put(p.path("name").asText(), p.path("allocatable").asBoolean()));
        // Two agents of 4 CPUs and 8 GiB each: 8 CPUs / 16 GiB fit on none of them.
        assertThat(allocatable).containsEntry("cpu01-small", true).containsEntry("cpu02-medium", true)
                .containsEntry("cpu03-large", false).containsEntry("cuda03-large", false);
        assertThat(answer.path("keypair_limits").toString()).isEqualTo("{\"cpu\":\"Infinity\",\"mem\":\"Infinity\"}");
        assertThat(answer.path("keypair_remaining").path("cpu").asText()).isEqualTo("Infinity");
        assertThat(answer.path("group_limits").toString()).isEqualTo("{\"cpu\":\"NaN\",\"mem\":\"NaN\"}");
        assertThat(answer.path("scaling_groups").path("default").path("remaining").path("cpu").asText())
                .matches("\\d+\\.000000");
        assertThat(answer.path("scaling_groups").path("default").has("using")).isTrue();
        assertThat(answer.path("scaling_group_remaining").has("mem")).isTrue();
        assertThat(answer.path("presets").get(0).has("allocatable")).isTrue();
    }

    @Test
    void checkPresetsRefusesAProjectTheCallerIsNotIn() {
        Answer answer = user.call("POST", "/resource/check-presets", Map.of("group", "no-such-project"));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.path("type").asText()).endsWith("/project-not-found");
        assertThat(answer.path("msg").asText()).isEqualTo("Project not found (name: no-such-project)");
        Answer unknownGroup = user.call("POST", "/resource/check-presets",
                Map.of("group", "default", "scaling_group", "gpu-farm"));
        assertThat(unknownGroup.status()).isEqualTo(404);
        assertThat(unknownGroup.path("title").asText()).isEqualTo("No such scaling group.");
        assertThat(user.call("POST", "/resource/check-presets", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void slotTypesAndTheirMetadata() {
        assertThat(user.call("GET", "/config/resource-slots", null).body().toString())
                .isEqualTo("{\"cpu\":\"count\",\"mem\":\"bytes\"}");
        JsonNode details = user.call("GET", "/config/resource-slots/details?sgroup=default", null).body();
        assertThat(details.path("mem").path("slot_name").asText()).isEqualTo("ram");
        assertThat(details.path("cpu").path("display_unit").asText()).isEqualTo("Core");
        assertThat(details.size()).isEqualTo(2);
    }

    @Test
    void scalingGroupsAvailableToAProject() {
        Answer answer = user.call("GET", "/scaling-groups?group=" + DEFAULT_PROJECT, null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().toString()).isEqualTo("{\"scaling_groups\":[{\"name\":\"default\"}]}");
        assertThat(user.call("GET", "/scaling-groups", null).status()).isEqualTo(400);
    }

    @Test
    void usageReportsAreForSuperadminsAndCheckTheirDates() {
        String month = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMM"));
        assertThat(user.call("GET", "/resource/usage/month?month=" + month, null).status()).isEqualTo(403);
        assertThat(admin.call("GET", "/resource/usage/month?month=2026-13", null).path("msg").asText())
                .isEqualTo("Invalid date values");
        assertThat(admin.call("GET", "/resource/usage/period?start_date=20260101&end_date=20260601", null)
                .path("msg").asText()).isEqualTo("Cannot query more than 100 days");
        assertThat(admin.call("GET", "/resource/usage/period?start_date=20260105&end_date=20260101", null)
                .path("msg").asText()).isEqualTo("end_date must be later than start_date.");
    }

    @Test
    void usageIsComputedFromTheSessionsThatRan() {
        Answer created = user.call("POST", "/session", Map.of("session_name", "usage-" + System.nanoTime(),
                "image", "python", "config", Map.of("resources", Map.of("cpu", "1", "mem", "1g"))));
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String id = created.path("sessionId").asText();
        assertThat(created.path("status").asText()).isEqualTo("RUNNING");
        user.call("POST", "/session/" + id, Map.of("mode", "query", "code", "open('x.txt','w').write('x' * 5000)"));
        assertThat(user.call("DELETE", "/session/" + id, null).status()).isEqualTo(200);
        String day = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        String month = day.substring(0, 6);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode usage = admin.call("GET", "/resource/usage/month?month=" + month + "&group_ids="
                    + DEFAULT_PROJECT, null).body();
            JsonNode kernel = null;
            for (JsonNode group : usage) {
                for (JsonNode info : group.path("c_infos")) {
                    if (info.path("session_id").asText().equals(id)) {
                        kernel = info;
                    }
                }
            }
            assertThat(kernel).as("the session in this month's usage: %s", usage).isNotNull();
            assertThat(kernel.path("status").asText()).isEqualTo("TERMINATED");
            assertThat(kernel.path("cpu_allocated").asDouble()).isEqualTo(1.0);
            assertThat(kernel.path("mem_allocated").asLong()).isEqualTo(1024L * 1024 * 1024);
            assertThat(kernel.path("email").asText()).isEqualTo("user@lablup.com");
            assertThat(kernel.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*\\+00:00");
            assertThat(kernel.path("used_time").asText()).matches("0:00:\\d\\d(\\.\\d{6})?");
            assertThat(kernel.path("used_days").asInt()).isEqualTo(1);
        });

        JsonNode period = admin.call("GET", "/resource/usage/period?start_date=" + day + "&end_date=" + day
                + "&project_id=" + DEFAULT_PROJECT, null).body();
        assertThat(period.size()).isEqualTo(1);
        JsonNode project = period.get(0);
        assertThat(project.path("group_unit").asText()).isEqualTo("project");
        assertThat(project.path("project_id").asText()).isEqualTo(DEFAULT_PROJECT);
        JsonNode session = project.path("sessions").path(id);
        assertThat(session.path("group_unit").asText()).isEqualTo("session");
        assertThat(session.path("total_usage").path("cpu_allocated").asDouble()).isEqualTo(1.0);
        assertThat(session.path("kernels").size()).isEqualTo(1);
        assertThat(session.path("status_history").asText()).startsWith("{'PENDING': '");

        JsonNode bins = user.call("GET", "/resource/stats/user/month", null).body();
        assertThat(bins.size()).isEqualTo(2880);
        assertThat(bins.get(0).path("date").isNumber()).isTrue();
        // A Python float as json.dumps writes it: plain digits, not Java's exponent form.
        String raw = new String(user.raw("GET", "/resource/stats/user/month").body(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(raw).containsPattern("^\\[\\{\"date\":\\d{10}\\.\\d+,\"num_sessions\"");
        long withSession = 0;
        for (JsonNode bin : bins) {
            if (bin.path("num_sessions").path("value").asInt() > 0) {
                withSession++;
                assertThat(bin.path("mem_allocated").path("value").asLong()).isGreaterThanOrEqualTo(1024L * 1024 * 1024);
            }
        }
        assertThat(withSession).as("bins in which the session lived").isBetween(1L, 2L);
        assertThat(bins.get(2879).path("date").asDouble())
                .isCloseTo(Instant.now().getEpochSecond() - 900, org.assertj.core.data.Offset.offset(120.0));
    }
}
