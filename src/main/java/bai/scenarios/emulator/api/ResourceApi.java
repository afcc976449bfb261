package bai.scenarios.emulator.api;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.ApiCall;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.sessions.ResourceReports;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The manager's resource routes: {@code /resource/presets} and {@code /resource/check-presets},
 * the usage reports ({@code /resource/stats/user/month} for anyone, {@code /resource/usage/month}
 * and {@code /resource/usage/period} for superadmins), the known slot types
 * ({@code /config/resource-slots}, {@code /config/resource-slots/details}) and the scaling groups
 * a caller may use ({@code /scaling-groups}). The numbers come from {@link ResourceReports}.
 */
public final class ResourceApi {
    private ResourceApi() {
    }

    public static void register(Router router, ResourceReports reports) {
        router.add("GET", "/resource/presets", AccessLevel.USER,
                call -> ApiResponse.ok(Map.of("presets", reports.presets(query(call, "scaling_group")))));
        router.add("POST", "/resource/check-presets", AccessLevel.USER, call -> {
            JsonNode body = call.jsonBody();
            String group = ApiCall.requiredString(body, "CheckPresetsRequest", "group");
            JsonNode scalingGroup = body.path("scaling_group");
            if (!scalingGroup.isMissingNode() && !scalingGroup.isNull() && !scalingGroup.isTextual()) {
                throw Problems.invalidApiParameters("1 validation error for CheckPresetsRequest\nscaling_group\n"
                        + "  Input should be a valid string");
            }
            return ApiResponse.ok(reports.checkPresets(call.caller(), group,
                    scalingGroup.isTextual() ? scalingGroup.asText() : null));
        });
        router.add("GET", "/resource/stats/user/month", AccessLevel.USER,
                call -> ApiResponse.ok(reports.userMonthStats(call.caller().userId())));
        router.add("GET", "/resource/usage/month", AccessLevel.SUPERADMIN, call -> {
            String month = required(call, "UsagePerMonthQuery", "month");
            List<UUID> groups = new ArrayList<>();
            for (String id : call.request().queryValues("group_ids")) {
                groups.add(uuid("UsagePerMonthQuery", "group_ids", id));
            }
            return ApiResponse.ok(reports.usagePerMonth(groups, month));
        });
        router.add("GET", "/resource/usage/period", AccessLevel.SUPERADMIN, call -> {
            String project = query(call, "project_id", "group_id");
            UUID projectId = project == null ? null : uuid("UsagePerPeriodQuery", "project_id", project);
            String start = required(call, "UsagePerPeriodQuery", "start_date");
            String end = required(call, "UsagePerPeriodQuery", "end_date");
            return ApiResponse.ok(reports.usagePerPeriod(projectId, start, end));
        });
        router.add("GET", "/config/resource-slots", AccessLevel.USER,
                call -> ApiResponse.ok(ResourceReports.KNOWN_SLOTS));
        // The emulated agents report no accelerators, so a scaling group filter changes nothing.
        router.add("GET", "/config/resource-slots/details", AccessLevel.USER,
                call -> ApiResponse.ok(ResourceReports.slotMetadata()));
        router.add("GET", "/scaling-groups", AccessLevel.USER, call -> {
            required(call, "ListScalingGroupsRequest", "group", "group_id", "group_name");
            List<Map<String, Object>> groups = new ArrayList<>();
            reports.scalingGroupsFor(call.caller().keypairIsAdmin()).forEach(name -> groups.add(Map.of("name", name)));
            return ApiResponse.ok(Map.of("scaling_groups", groups));
        });
    }

    private static String query(ApiCall call, String... names) {
        for (String name : names) {
            List<String> values = call.request().queryValues(name);
            if (!values.isEmpty()) {
                return values.get(0);
            }
        }
        return null;
    }

    private static String required(ApiCall call, String model, String... names) {
        String value = query(call, names);
        if (value == null) {
            throw Problems.invalidApiParameters("1 validation error for " + model + "\n" + names[0]
                    + "\n  Field required");
        }
        return value;
    }

    private static UUID uuid(String model, String field, String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidApiParameters("1 validation error for " + model + "\n" + field
                    + "\n  Input should be a valid UUID");
        }
    }
}
