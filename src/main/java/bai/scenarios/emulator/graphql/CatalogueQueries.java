package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.graphql.MiniLang.Field;
import bai.scenarios.emulator.graphql.MiniLang.Kind;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.sessions.Agent;
import bai.scenarios.emulator.sessions.Images;
import bai.scenarios.emulator.sessions.Sessions;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Domain;
import bai.scenarios.emulator.state.ResourceSlots;
import com.fasterxml.jackson.databind.JsonNode;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The image catalogue ({@code images}) and the resource presets ({@code resource_preset},
 * {@code resource_preset_by_id}, {@code resource_presets}), with the manager's rules: images are
 * limited to the registries the caller's domain allows (superadmins see all), operational images
 * only appear on the manager's odd {@code is_operation: null}, {@code is_installed} keeps the
 * images installed (or not) on some agent; presets are for everyone.
 */
final class CatalogueQueries {
    private static final List<String> LOAD_FILTERS = List.of("general", "operational", "customized");

    private final Directory directory;
    private final Sessions sessions;
    private final Views views;
    private final JsonNode presets;

    CatalogueQueries(Directory directory, Sessions sessions, Views views, JsonNode presets) {
        this.directory = directory;
        this.sessions = sessions;
        this.views = views;
        this.presets = presets;
    }

    Map<String, DataFetcher> fetchers() {
        return Map.of(
                "images", (AdminGraphQL.CallerFetcher) this::images,
                "resource_preset", (AdminGraphQL.CallerFetcher) this::resourcePreset,
                "resource_preset_by_id", (AdminGraphQL.CallerFetcher) this::resourcePresetById,
                "resource_presets", (AdminGraphQL.CallerFetcher) this::resourcePresets);
    }

    // --- images ---------------------------------------------------------------------------------

    private Object images(Caller caller, DataFetchingEnvironment env) {
        List<String> statuses = env.getArgument("filter_by_statuses");
        List<String> loadFilters = env.containsArgument("load_filters") && env.getArgument("load_filters") != null
                ? env.getArgument("load_filters") : env.getArgument("image_filters");
        Set<String> types = loadTypes(caller, loadFilters, env.containsArgument("is_operation"),
                env.getArgument("is_operation"));
        List<String> agentIds = sessions.agents().stream().map(Agent::id).toList();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Images.Image image : Images.ALL) {
            if ((statuses == null || statuses.contains("ALIVE")) && matchesLoadFilter(image.labels(), types)) {
                items.add(views.image(image, agentIds));
            }
        }
        switch (caller.role()) {
            case "superadmin" -> {
            }
            case "admin", "user" -> {
                List<String> registries = directory.domain(caller.domainName()).map(Domain::allowedDockerRegistries)
                        .orElse(null);
                items.removeIf(i -> registries == null || !registries.contains((String) i.get("registry")));
            }
            default -> throw GqlError.unknownClientRole();
        }
        Boolean installed = env.getArgument("is_installed");
        if (installed != null) {
            items.removeIf(i -> !installed.equals(i.get("installed")));
        }
        return items;
    }

    /**
     * The manager's image load filters: those given (superadmins' "customized" widened to
     * everyone's), else general and customized images, plus operational ones only when
     * {@code is_operation} was passed as an explicit null ("to conform with the previous
     * implementation", in the manager's words).
     */
    static Set<String> loadTypes(Caller caller, List<String> given, boolean operationPassed, Boolean isOperation) {
        Set<String> types = new java.util.HashSet<>();
        if (given != null) {
            for (String filter : given) {
                if (!LOAD_FILTERS.contains(filter)) {
                    throw GqlError.invalidParameters("'" + filter + "' is not a valid PublicImageLoadFilter. All elements"
                            + " of `load_filters` should be one of (general, operational, customized)");
                }
                types.add(filter);
            }
            if (caller.isSuperadmin() && types.remove("customized")) {
                types.add("customized-global");
            }
        } else {
            types.add("customized");
            types.add("general");
            if (operationPassed && isOperation == null) {
                types.add("operational");
            }
        }
        return types;
    }

    /** Whether an image's labels pass the load filters (the emulator has no customized images). */
    static boolean matchesLoadFilter(Map<String, String> labels, Set<String> types) {
        boolean valid = types.contains("general");
        String features = labels.get("ai.backend.features");
        if (features != null && features.contains("operation")) {
            if (!types.contains("operational")) {
                return false;
            }
            valid = true;
        }
        return valid;
    }

    // --- resource presets -----------------------------------------------------------------------

    private record Preset(UUID id, String name, Map<String, String> slots, Long sharedMemory) {
    }

    private List<Preset> presets() {
        List<Preset> all = new ArrayList<>();
        for (JsonNode preset : presets) {
            Map<String, String> slots = new LinkedHashMap<>();
            ResourceSlots.normalize(preset.path("resource_slots")).fields()
                    .forEachRemaining(e -> slots.put(e.getKey(), Slots.amount(new BigDecimal(e.getValue().asText()))));
            String name = preset.path("name").asText();
            UUID id = preset.hasNonNull("id") ? UUID.fromString(preset.get("id").asText())
                    : UUID.nameUUIDFromBytes(("resource-preset:" + name).getBytes(StandardCharsets.UTF_8));
            all.add(new Preset(id, name, slots,
                    preset.hasNonNull("shared_memory") ? preset.get("shared_memory").asLong() : null));
        }
        return all;
    }

    private static Map<String, Object> view(Preset preset) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", preset.id());
        view.put("name", preset.name());
        view.put("resource_slots", preset.slots());
        view.put("shared_memory", preset.sharedMemory());
        view.put("scaling_group_name", null);
        return view;
    }

    private Object resourcePreset(Caller caller, DataFetchingEnvironment env) {
        if (!env.containsArgument("name")) {
            throw Scopes.typeError("Query.resolve_resource_preset() missing 1 required positional argument: 'name'");
        }
        String name = env.getArgument("name");
        return presets().stream().filter(p -> p.name().equals(name)).findFirst().map(CatalogueQueries::view)
                .orElse(null);
    }

    private Object resourcePresetById(Caller caller, DataFetchingEnvironment env) {
        if (!env.containsArgument("id")) {
            throw Scopes.typeError("Query.resolve_resource_preset_by_id() missing 1 required positional argument: 'id'");
        }
        UUID id = env.getArgument("id");
        return presets().stream().filter(p -> p.id().equals(id)).findFirst().map(CatalogueQueries::view).orElse(null);
    }

    private static final Map<String, Field<Preset>> PRESET_FIELDS = MiniLang.fields(List.of(
            Field.of("id", Kind.UUID, Preset::id),
            Field.of("name", Kind.STRING, Preset::name),
            Field.of("scaling_group_name", Kind.STRING, p -> null)));

    private Object resourcePresets(Caller caller, DataFetchingEnvironment env) {
        String filter = env.getArgument("filter");
        String order = env.getArgument("order");
        Predicate<Preset> matches = filter == null ? p -> true : MiniLang.filter(filter, PRESET_FIELDS);
        Comparator<Preset> ordering = order == null ? Comparator.comparing(Preset::name)
                : MiniLang.order(order, PRESET_FIELDS);
        return presets().stream().filter(matches).sorted(ordering).map(CatalogueQueries::view).toList();
    }
}
