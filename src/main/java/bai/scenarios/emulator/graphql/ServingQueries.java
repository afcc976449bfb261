package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.serving.ModelServices;
import graphql.schema.DataFetcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code endpoint}, {@code endpoint_list}, {@code routing} and {@code routing_list}: the model
 * services the caller may see (her own; a domain admin's domain; a superadmin all) and their routes.
 */
final class ServingQueries {
    private final ModelServices services;

    ServingQueries(ModelServices services) {
        this.services = services;
    }

    Map<String, DataFetcher> fetchers() {
        Map<String, DataFetcher> fetchers = new LinkedHashMap<>();
        fetchers.put("endpoint", (AdminGraphQL.CallerFetcher) (caller, env) -> {
            UUID id = env.getArgument("endpoint_id");
            return services.endpointViews(caller).stream().filter(v -> id.equals(v.get("endpoint_id"))
                    && !"destroyed".equals(v.get("lifecycle_stage"))).findFirst()
                    .orElseThrow(() -> new GqlError("No such model service.", null, "model-service_read_not-found"));
        });
        fetchers.put("endpoint_list", (AdminGraphQL.CallerFetcher) (caller, env) -> {
            String project = env.getArgument("project") == null ? null : env.getArgument("project").toString();
            List<Map<String, Object>> all = services.endpointViews(caller).stream()
                    .filter(v -> !"destroyed".equals(v.get("lifecycle_stage")))
                    .filter(v -> project == null || project.equals(v.get("project")))
                    .filter(v -> env.getArgument("domain_name") == null
                            || env.getArgument("domain_name").equals(v.get("domain")))
                    .toList();
            return page(all, env.getArgument("limit"), env.getArgument("offset"));
        });
        fetchers.put("routing", (AdminGraphQL.CallerFetcher) (caller, env) -> {
            UUID id = env.getArgument("routing_id");
            return services.routeViews(caller).stream().filter(v -> id.equals(v.get("routing_id"))).findFirst()
                    .orElseThrow(() -> new GqlError("No such route.", null, "route_read_not-found"));
        });
        fetchers.put("routing_list", (AdminGraphQL.CallerFetcher) (caller, env) -> {
            UUID endpoint = env.getArgument("endpoint_id");
            List<Map<String, Object>> all = services.routeViews(caller).stream()
                    .filter(v -> endpoint == null || endpoint.toString().equals(v.get("endpoint"))).toList();
            return page(all, env.getArgument("limit"), env.getArgument("offset"));
        });
        return fetchers;
    }

    private static Map<String, Object> page(List<Map<String, Object>> all, Integer limit, Integer offset) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("items", all.stream().skip(Math.max(0, offset)).limit(Math.max(0, limit)).toList());
        list.put("total_count", all.size());
        return list;
    }
}
