package bai.scenarios.emulator.sessions;

import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.sessions.ComputeSession.Kernel;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Domain;
import bai.scenarios.emulator.state.Entities.Group;
import bai.scenarios.emulator.state.Entities.KeypairResourcePolicy;
import bai.scenarios.emulator.state.Entities.ScalingGroup;
import bai.scenarios.emulator.state.Entities.UserAccount;
import bai.scenarios.emulator.state.Jsonb;
import bai.scenarios.emulator.state.PythonRepr;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The manager's resource reports, computed from the emulator's own state: resource presets and
 * whether each fits now ({@code check-presets}: keypair, project and domain limits against what
 * their sessions hold, and the agents' free capacity), the known slot types, the scaling groups a
 * caller may use, and the usage reports built from the session history (a user's last month in
 * 15-minute bins, a month's and a period's usage per project). Shapes, key orders and number forms
 * are the manager's.
 *
 * <p>Everything is read under the state lock and only there; kernel statistics of running
 * kernels are measured (I/O) after the lock is released. The check-presets answer is cached for
 * 60 seconds per access key, project, domain and scaling group, as the manager caches it.
 *
 * <p>Scaling groups: the emulator does not model scaling-group associations; every active group
 * (the halfstack {@code default}, where its agents are) is open to every domain, as its scheduler
 * places every session there.
 */
public final class ResourceReports {
    /** The slot types the emulated agents report: the intrinsic ones only (no accelerators). */
    public static final Map<String, String> KNOWN_SLOTS = knownSlots();
    private static final Set<String> OCCUPYING = Set.of("SCHEDULED", "PREPARING", "PULLING", "PREPARED", "CREATING",
            "RUNNING", "TERMINATING");
    private static final Duration CACHE_TTL = Duration.ofSeconds(60);
    private static final Duration BIN = Duration.ofMinutes(15);
    private static final int BINS = 2880;

    private final Sessions sessions;
    private final Directory directory;
    private final JsonNode bootstrap;
    private final Clock clock;
    /** The check-presets cache: a leaf lock (its own monitor), never taken with the state lock held. */
    private final Map<String, Cached> checkCache = new HashMap<>();

    private record Cached(Instant expires, Map<String, Object> answer) {
    }

    public ResourceReports(Sessions sessions, Directory directory, JsonNode bootstrap, Clock clock) {
        this.sessions = sessions;
        this.directory = directory;
        this.bootstrap = bootstrap;
        this.clock = clock;
    }

    private static Map<String, String> knownSlots() {
        Map<String, String> slots = new LinkedHashMap<>();
        slots.put("cpu", "count");
        slots.put("mem", "bytes");
        return java.util.Collections.unmodifiableMap(slots);
    }

    // --- presets --------------------------------------------------------------------------

    /** {@code GET /resource/presets}: the global presets (and those of the named scaling group). */
    public List<Map<String, Object>> presets(String scalingGroup) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (JsonNode preset : presetRows(scalingGroup)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", presetId(preset).toString());
            item.put("name", preset.path("name").asText());
            item.put("shared_memory", sharedMemory(preset, false));
            item.put("resource_slots", stringified(normalisedSlots(preset)));
            items.add(item);
        }
        return items;
    }

    private List<JsonNode> presetRows(String scalingGroup) {
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode preset : bootstrap.path("resource_presets")) {
            String group = preset.path("scaling_group_name").asText(null);
            if (group == null || group.equals(scalingGroup)) {
                rows.add(preset);
            }
        }
        return rows;
    }

    private static UUID presetId(JsonNode preset) {
        return preset.hasNonNull("id") ? UUID.fromString(preset.get("id").asText())
                : UUID.nameUUIDFromBytes(("resource-preset:" + preset.path("name").asText())
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** {@code str(shared_memory)} when set (list: only when non-zero), else null. */
    private static String sharedMemory(JsonNode preset, boolean zeroIsSet) {
        JsonNode shm = preset.path("shared_memory");
        if (shm.isMissingNode() || shm.isNull()) {
            return null;
        }
        String text = shm.asText();
        return !zeroIsSet && new BigDecimal(text).signum() == 0 ? null : text;
    }

    /** {@code normalize_slots(ignore_unknown=True)}: known slots only, the missing ones as 0. */
    private static Map<String, Quantity> normalisedSlots(JsonNode preset) {
        Map<String, Quantity> slots = new LinkedHashMap<>();
        preset.path("resource_slots").fields().forEachRemaining(e -> {
            if (KNOWN_SLOTS.containsKey(e.getKey())) {
                slots.put(e.getKey(), Quantity.of(new BigDecimal(e.getValue().asText())));
            }
        });
        KNOWN_SLOTS.keySet().forEach(slot -> slots.putIfAbsent(slot, Quantity.ZERO));
        return slots;
    }

    /** {@code ResourceSlot.to_json()}: each amount rounded to hundredths, trailing zeros dropped. */
    private static Map<String, String> stringified(Map<String, Quantity> slots) {
        Map<String, String> wire = new LinkedHashMap<>();
        slots.forEach((slot, q) -> wire.put(slot, PythonRepr.decimal(q.value().setScale(2, RoundingMode.HALF_EVEN))));
        return wire;
    }

    /**
     * {@code POST /resource/check-presets}: each preset with whether it can start now, and the
     * caller's keypair limits, use and remaining slots (the least of keypair, project and domain
     * remaining), the project's (hidden as NaN: {@code group_resource_visibility} is off by default)
     * and each allowed scaling group's.
     */
    public Map<String, Object> checkPresets(Caller caller, String groupName, String scalingGroup) {
        String key = caller.accessKey() + "\0" + groupName + "\0" + caller.domainName() + "\0" + scalingGroup;
        synchronized (checkCache) {
            Cached cached = checkCache.get(key);
            if (cached != null && cached.expires().isAfter(clock.instant())) {
                return cached.answer();
            }
        }
        Map<String, Object> answer = sessions.locked(() -> checkPresetsNow(caller, groupName, scalingGroup));
        synchronized (checkCache) {
            checkCache.values().removeIf(c -> !c.expires().isAfter(clock.instant()));
            checkCache.put(key, new Cached(clock.instant().plus(CACHE_TTL), answer));
        }
        return answer;
    }

    private Map<String, Object> checkPresetsNow(Caller caller, String groupName, String scalingGroup) {
        KeypairResourcePolicy policy = directory.keypair(caller.accessKey()).map(k -> k.resourcePolicy())
                .flatMap(directory::keypairPolicy).orElse(null);
        Map<String, Quantity> keypairLimits = fromPolicy(policy == null ? null : policy.totalResourceSlots(),
                policy == null || !"LIMITED".equalsIgnoreCase(policy.defaultForUnspecified()));
        Map<String, Quantity> keypairUsing = occupancy(s -> s.ownerAccessKey.equals(caller.accessKey()));
        Map<String, Quantity> keypairRemaining = Quantity.subtract(keypairLimits, keypairUsing);

        Group group = directory.groupsOf(caller.userId()).stream()
                .filter(g -> g.name().equals(groupName) && g.domainName().equals(caller.domainName())).findFirst()
                .orElseThrow(() -> Problems.projectNotFound("Project not found (name: " + groupName + ")"));
        Map<String, Quantity> groupLimits = fromPolicy(group.totalResourceSlots(), true);
        Map<String, Quantity> groupRemaining = Quantity.subtract(groupLimits, occupancy(s -> s.groupId.equals(group.id())));

        Domain domain = directory.domain(caller.domainName())
                .orElseThrow(() -> Problems.objectNotFound("domain", "Domain not found (name: " + caller.domainName() + ")"));
        Map<String, Quantity> domainLimits = fromPolicy(domain.totalResourceSlots(), true);
        Map<String, Quantity> domainRemaining = Quantity.subtract(domainLimits,
                occupancy(s -> s.domainName.equals(domain.name())));
        Map<String, Quantity> finalRemaining = Quantity.min(keypairRemaining, groupRemaining, domainRemaining);

        List<String> groups = allowedScalingGroups();
        if (scalingGroup != null) {
            if (!groups.contains(scalingGroup)) {
                throw Problems.scalingGroupNotFound("Scaling group not found or not allowed (name: " + scalingGroup + ")");
            }
            groups = List.of(scalingGroup);
        }
        Map<String, Object> perGroup = new LinkedHashMap<>();
        Map<String, Quantity> totalRemaining = new LinkedHashMap<>();
        List<Map<String, Quantity>> agentSlots = new ArrayList<>();
        for (String name : groups) {
            // Every emulated session runs in the default group (see the class note).
            Map<String, Quantity> using = occupancy(s -> s.userId.equals(caller.userId()) && isDefaultGroup(name));
            Map<String, Quantity> remaining = new LinkedHashMap<>();
            if (isDefaultGroup(name)) {
                for (Agent agent : sessions.agents()) {
                    Map<String, Quantity> free = new LinkedHashMap<>();
                    free.put("cpu", Quantity.column(agent.cpu().subtract(agent.usedCpu())));
                    free.put("mem", Quantity.column(new BigDecimal(agent.mem().subtract(agent.usedMem()))));
                    agentSlots.add(free);
                    remaining = Quantity.add(remaining, free);
                }
            }
            totalRemaining = Quantity.add(totalRemaining, remaining);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("using", Quantity.toWire(using));
            entry.put("remaining", Quantity.toWire(Quantity.min(finalRemaining, remaining)));
            perGroup.put(name, entry);
        }

        List<Map<String, Object>> presets = new ArrayList<>();
        for (JsonNode preset : presetRows(scalingGroup)) {
            Map<String, Quantity> wanted = normalisedSlots(preset);
            boolean allocatable = agentSlots.stream().anyMatch(free -> Quantity.covers(free, wanted)
                    && Quantity.covers(finalRemaining, wanted));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", presetId(preset).toString());
            item.put("name", preset.path("name").asText());
            item.put("resource_slots", stringified(wanted));
            item.put("shared_memory", sharedMemory(preset, true));
            item.put("allocatable", allocatable);
            presets.add(item);
        }
        Map<String, Quantity> hidden = new LinkedHashMap<>();
        KNOWN_SLOTS.keySet().forEach(slot -> hidden.put(slot, Quantity.NAN));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("presets", presets);
        answer.put("keypair_limits", Quantity.toWire(keypairLimits));
        answer.put("keypair_using", Quantity.toWire(keypairUsing));
        answer.put("keypair_remaining", Quantity.toWire(finalRemaining));
        answer.put("group_limits", Quantity.toWire(hidden));
        answer.put("group_using", Quantity.toWire(hidden));
        answer.put("group_remaining", Quantity.toWire(hidden));
        answer.put("scaling_group_remaining", Quantity.toWire(Quantity.min(finalRemaining, totalRemaining)));
        answer.put("scaling_groups", perGroup);
        return answer;
    }

    private boolean isDefaultGroup(String name) {
        return name.equals("default");
    }

    /**
     * {@code ResourceSlot.from_policy}: the policy's known slots (counts normalised, sizes in
     * bytes), then every other known slot as Infinity (unlimited) or 0 (limited).
     */
    private static Map<String, Quantity> fromPolicy(JsonNode totalSlots, boolean unlimited) {
        Map<String, Quantity> limits = new LinkedHashMap<>();
        if (totalSlots != null && totalSlots.isObject()) {
            totalSlots.fields().forEachRemaining(e -> {
                if (KNOWN_SLOTS.containsKey(e.getKey()) && !e.getValue().isNull()) {
                    String text = e.getValue().asText();
                    limits.put(e.getKey(), KNOWN_SLOTS.get(e.getKey()).equals("bytes")
                            ? Quantity.of(new BigDecimal(new BigDecimal(text).toBigInteger()))
                            : Quantity.normalisedCount(text));
                }
            });
        }
        KNOWN_SLOTS.keySet().forEach(slot -> limits.putIfAbsent(slot, unlimited ? Quantity.INFINITY : Quantity.ZERO));
        return limits;
    }

    /**
     * What sessions hold (requested slots of kernels that are scheduled up to terminating), summed
     * per slot as the database sums them; no holding session at all gives every known slot 0.
     */
    private Map<String, Quantity> occupancy(java.util.function.Predicate<ComputeSession> which) {
        BigDecimal cpu = null;
        BigDecimal mem = null;
        for (ComputeSession s : sessions.sessionsUnlocked()) {
            if (OCCUPYING.contains(s.status) && which.test(s)) {
                cpu = (cpu == null ? BigDecimal.ZERO : cpu).add(s.totalCpu());
                mem = (mem == null ? BigDecimal.ZERO : mem).add(new BigDecimal(s.totalMem()));
            }
        }
        Map<String, Quantity> held = new LinkedHashMap<>();
        if (cpu == null) {
            KNOWN_SLOTS.keySet().forEach(slot -> held.put(slot, Quantity.ZERO));
            return held;
        }
        held.put("cpu", Quantity.column(cpu));
        held.put("mem", Quantity.column(mem));
        return held;
    }

    // --- slot types and scaling groups ---------------------------------------------------------

    /** {@code GET /config/resource-slots/details}: the known slots' display metadata (mem's slot name is "ram"). */
    public static Map<String, Object> slotMetadata() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("cpu", meta("cpu", "CPU", "CPU", "Core", false, 0, "cpu"));
        metadata.put("mem", meta("ram", "Memory", "RAM", "GiB", true, 0, "cpu"));
        return metadata;
    }

    private static Map<String, Object> meta(String slotName, String description, String name, String unit,
                                            boolean binary, int roundLength, String icon) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("slot_name", slotName);
        meta.put("description", description);
        meta.put("human_readable_name", name);
        meta.put("display_unit", unit);
        Map<String, Object> format = new LinkedHashMap<>();
        format.put("binary", binary);
        format.put("round_length", roundLength);
        meta.put("number_format", format);
        meta.put("display_icon", icon);
        return meta;
    }

    /** The active scaling groups, by name (see the class note on associations). */
    public List<String> allowedScalingGroups() {
        return directory.scalingGroups().stream().filter(ScalingGroup::isActive).map(ScalingGroup::name).sorted()
                .toList();
    }

    /**
     * {@code GET /scaling-groups?group=}: the scaling groups a caller may use with the project,
     * the non-public ones only for admin keypairs.
     */
    public List<String> scalingGroupsFor(boolean adminKeypair) {
        return allowedScalingGroups().stream().filter(name -> adminKeypair || isPublic(name)).toList();
    }

    private boolean isPublic(String scalingGroup) {
        for (JsonNode row : bootstrap.path("scaling_groups")) {
            if (row.path("name").asText().equals(scalingGroup)) {
                // The column's default is true; the halfstack fixture leaves it out.
                return row.path("is_public").asBoolean(true);
            }
        }
        return true;
    }

    // --- usage reports ---------------------------------------------------------------------

    /** One kernel's row, read under the lock; its statistics are measured after. */
    private record KernelRow(UUID kernelId, UUID sessionId, String sessionName, String accessKey, String agent,
                             String domainName, UUID groupId, String groupName, UUID userId, String email,
                             String fullName, BigDecimal cpu, BigInteger mem, String image, String status,
                             String statusInfo, Instant created, Instant terminated, Instant statusChanged,
                             Map<String, String> history, String clusterMode, Map<String, Object> lastStat,
                             RunnerProcess process, java.nio.file.Path workdir) {
    }

    private List<KernelRow> kernelRows(java.util.function.Predicate<ComputeSession> which) {
        List<KernelRow> rows = sessions.locked(() -> {
            List<KernelRow> found = new ArrayList<>();
            for (ComputeSession s : sessions.sessionsUnlocked()) {
                if (!which.test(s)) {
                    continue;
                }
                Group group = directory.group(s.groupId).orElse(null);
                UserAccount user = directory.user(s.userId).orElse(null);
                for (Kernel k : s.kernels) {
                    found.add(new KernelRow(k.id, s.id, s.name, s.ownerAccessKey, s.placedOn, s.domainName, s.groupId,
                            group == null ? null : group.name(), s.userId, user == null ? null : user.email(),
                            user == null ? null : user.fullName(), s.cpu, s.mem, s.image.reference(), s.status,
                            s.statusInfo, s.created, s.terminated, s.lastChange, Jsonb.ordered(s.history),
                            s.clusterMode, k.lastStat, k.python == null ? null : k.python.process(), k.workdir));
                }
            }
            return found;
        });
        // The agents report live statistics of running kernels; measured here, outside the lock.
        List<KernelRow> measured = new ArrayList<>();
        for (KernelRow row : rows) {
            if (row.lastStat() == null && row.status().equals("RUNNING")) {
                row = withStat(row, KernelStats.measure(row.process(), row.workdir(), row.mem()));
            }
            measured.add(row);
        }
        return measured;
    }

    private static KernelRow withStat(KernelRow r, Map<String, Object> stat) {
        return new KernelRow(r.kernelId(), r.sessionId(), r.sessionName(), r.accessKey(), r.agent(), r.domainName(),
                r.groupId(), r.groupName(), r.userId(), r.email(), r.fullName(), r.cpu(), r.mem(), r.image(), r.status(),
                r.statusInfo(), r.created(), r.terminated(), r.statusChanged(), r.history(), r.clusterMode(), stat,
                r.process(), r.workdir());
    }

    /**
     * {@code GET /resource/stats/user/month}: the last 30 days in 2,880 bins of 15 minutes, each
     * counting the user's kernels that ended within the window and were alive in the bin, with
     * their allocated CPU and memory and last I/O and disk figures.
     */
    public List<Map<String, Object>> userMonthStats(UUID userId) {
        Instant now = clock.instant();
        Instant start = now.minus(Duration.ofDays(30));
        double startTs = start.getEpochSecond() + start.getNano() / 1e9;
        long[] sessionsIn = new long[BINS];
        long[] cpu = new long[BINS];
        long[] mem = new long[BINS];
        long[] ioRead = new long[BINS];
        long[] ioWrite = new long[BINS];
        long[] disk = new long[BINS];
        List<KernelRow> rows = kernelRows(s -> s.userId.equals(userId) && s.terminated != null
                && !s.terminated.isBefore(start) && Set.of("TERMINATED", "RUNNING").contains(s.status));
        rows.sort(java.util.Comparator.comparing(KernelRow::created));
        for (KernelRow row : rows) {
            Map<String, Object> stat = row.lastStat() == null ? Map.of() : row.lastStat();
            double created = row.created().getEpochSecond() + row.created().getNano() / 1e9;
            double ended = row.terminated().getEpochSecond() + row.terminated().getNano() / 1e9;
            int from = Math.max(0, (int) Math.floor((created - startTs) / BIN.toSeconds()));
            int to = Math.min(BINS, (int) Math.floor((ended - startTs) / BIN.toSeconds()) + 1);
            for (int i = from; i < to; i++) {
                sessionsIn[i]++;
                cpu[i] += row.cpu().intValue();
                mem[i] += row.mem().longValue();
                ioRead[i] += statValue(stat, "io_read", "current");
                ioWrite[i] += statValue(stat, "io_write", "current");
                disk[i] += statValue(stat, "io_scratch_size", "stats.max");
            }
        }
        List<Map<String, Object>> series = new ArrayList<>(BINS);
        for (int i = 0; i < BINS; i++) {
            Map<String, Object> bin = new LinkedHashMap<>();
            bin.put("date", pythonFloat(startTs + i * (double) BIN.toSeconds()));
            bin.put("num_sessions", valued(sessionsIn[i], "count"));
            bin.put("cpu_allocated", valued(cpu[i], "count"));
            bin.put("mem_allocated", valued(mem[i], "bytes"));
            bin.put("gpu_allocated", valued(0.0, "count"));
            bin.put("io_read_bytes", valued(ioRead[i], "bytes"));
            bin.put("io_write_bytes", valued(ioWrite[i], "bytes"));
            bin.put("disk_used", valued(disk[i], "bytes"));
            series.add(bin);
        }
        return series;
    }

    private static Map<String, Object> valued(Object value, String unit) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("value", value);
        metric.put("unit_hint", unit);
        return metric;
    }

    /** A Python float as {@code json.dumps} writes it: plain digits, never an exponent for these magnitudes. */
    private static BigDecimal pythonFloat(double value) {
        BigDecimal exact = new BigDecimal(Double.toString(value));
        return exact.scale() <= 0 ? exact.setScale(1) : exact;
    }

    @SuppressWarnings("unchecked")
    private static long statValue(Map<String, Object> stat, String metric, String field) {
        Object values = stat.get(metric);
        if (values instanceof Map<?, ?> map && map.get(field) != null) {
            try {
                return new BigDecimal(String.valueOf(map.get(field))).longValue();
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
        return 0;
    }

    private static double statDouble(Map<String, Object> stat, String metric, String field) {
        Object values = stat.get(metric);
        if (values instanceof Map<?, ?> map && map.get(field) != null) {
            try {
                return Double.parseDouble(String.valueOf(map.get(field)));
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
        return 0;
    }

    /** Kernels that lived in [start, end): ended (or running) after the start and created before the end. */
    private List<KernelRow> kernelsIn(Instant start, Instant end, java.util.function.Predicate<ComputeSession> which) {
        return kernelRows(s -> which.test(s) && s.created.isBefore(end)
                && (Set.of("TERMINATED", "RUNNING").contains(s.status) && s.terminated != null && !s.terminated.isBefore(start)
                || s.status.equals("RUNNING")));
    }

    /**
     * {@code GET /resource/usage/month?month=YYYYMM[&group_ids=…]}: per project, its kernels that
     * lived in the month with their allocation and use, and the project's totals.
     */
    public List<Map<String, Object>> usagePerMonth(List<UUID> groupIds, String month) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{4})(\\d{1,2})").matcher(month);
        if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 12) {
            throw Problems.invalidApiParameters("Invalid date values");
        }
        Instant start = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1)
                .atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1).plusMonths(1)
                .atStartOfDay().toInstant(ZoneOffset.UTC);
        List<KernelRow> rows = new ArrayList<>(kernelsIn(start, end,
                s -> groupIds.isEmpty() || groupIds.contains(s.groupId)));
        // ORDER BY terminated_at ASC: running kernels (NULL) last.
        rows.sort(java.util.Comparator.comparing(KernelRow::terminated,
                java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
        Map<String, Map<String, Object>> perGroup = new LinkedHashMap<>();
        for (KernelRow row : rows) {
            if (row.lastStat() == null) {
                continue; // "stat object not found, skipping", as the manager does
            }
            Map<String, Object> stat = row.lastStat();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", row.kernelId().toString());
            c.put("session_id", row.sessionId().toString());
            c.put("container_id", null);
            c.put("domain_name", row.domainName());
            c.put("group_id", row.groupId().toString());
            c.put("group_name", row.groupName());
            c.put("name", row.sessionName());
            c.put("access_key", row.accessKey());
            c.put("email", row.email());
            c.put("full_name", row.fullName());
            c.put("agent", row.agent());
            c.put("cpu_allocated", row.cpu().doubleValue());
            c.put("cpu_used", statDouble(stat, "cpu_used", "current"));
            c.put("mem_allocated", row.mem().longValue());
            c.put("mem_used", statValue(stat, "mem", "capacity"));
            c.put("shared_memory", 0L);
            c.put("disk_allocated", 0L);
            c.put("disk_used", statValue(stat, "io_scratch_size", "stats.max"));
            c.put("io_read", statValue(stat, "io_read", "current"));
            c.put("io_write", statValue(stat, "io_write", "current"));
            c.put("used_time", row.terminated() == null ? null
                    : PythonRepr.timedelta(Duration.between(row.created(), row.terminated())));
            c.put("used_days", usedDays(row));
            c.put("device_type", List.of());
            c.put("smp", 0.0);
            c.put("gpu_mem_allocated", 0.0);
            c.put("gpu_allocated", 0.0);
            c.put("nfs", null);
            c.put("image_id", row.image());
            c.put("image_name", row.image());
            c.put("created_at", PythonRepr.str(row.created()));
            c.put("terminated_at", row.terminated() == null ? "None" : PythonRepr.str(row.terminated()));
            c.put("status", row.status());
            c.put("status_info", row.statusInfo());
            c.put("status_changed", PythonRepr.str(row.statusChanged()));
            c.put("status_history", row.history());
            c.put("cluster_mode", row.clusterMode());
            String gid = row.groupId().toString();
            Map<String, Object> g = perGroup.get(gid);
            if (g == null) {
                g = new LinkedHashMap<>();
                g.put("domain_name", row.domainName());
                g.put("g_id", gid);
                g.put("g_name", row.groupName());
                g.put("g_cpu_allocated", c.get("cpu_allocated"));
                g.put("g_cpu_used", c.get("cpu_used"));
                g.put("g_mem_allocated", c.get("mem_allocated"));
                g.put("g_mem_used", c.get("mem_used"));
                g.put("g_shared_memory", c.get("shared_memory"));
                g.put("g_disk_allocated", c.get("disk_allocated"));
                g.put("g_disk_used", c.get("disk_used"));
                g.put("g_io_read", c.get("io_read"));
                g.put("g_io_write", c.get("io_write"));
                g.put("g_device_type", new ArrayList<>());
                g.put("g_smp", c.get("smp"));
                g.put("g_gpu_mem_allocated", c.get("gpu_mem_allocated"));
                g.put("g_gpu_allocated", c.get("gpu_allocated"));
                g.put("c_infos", new ArrayList<>(List.of(c)));
                perGroup.put(gid, g);
            } else {
                for (String f : new String[] {"cpu_allocated", "cpu_used", "smp", "gpu_mem_allocated", "gpu_allocated"}) {
                    g.put("g_" + f, (Double) g.get("g_" + f) + (Double) c.get(f));
                }
                for (String f : new String[] {"mem_allocated", "mem_used", "shared_memory", "disk_allocated",
                    "disk_used", "io_read", "io_write"}) {
                    g.put("g_" + f, (Long) g.get("g_" + f) + (Long) c.get(f));
                }
                @SuppressWarnings("unchecked")
                List<Object> infos = (List<Object>) g.get("c_infos");
                infos.add(c);
            }
        }
        return new ArrayList<>(perGroup.values());
    }

    private static Integer usedDays(KernelRow row) {
        if (row.terminated() == null) {
            return null;
        }
        return (int) (row.terminated().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay()
                - row.created().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay() + 1);
    }

    /**
     * {@code GET /resource/usage/period?start_date=&end_date=[&project_id=]}: per project, its
     * sessions and their kernels that lived in the period (end day included, at most 100 days),
     * each with its usage, in the manager's resource-usage-group form.
     */
    public List<Map<String, Object>> usagePerPeriod(UUID projectId, String startDate, String endDate) {
        Instant start = day(startDate);
        Instant end = day(endDate).plus(Duration.ofDays(1));
        if (Duration.between(start, end).compareTo(Duration.ofDays(100)) > 0) {
            throw Problems.invalidApiParameters("Cannot query more than 100 days");
        }
        if (!end.isAfter(start)) {
            throw Problems.invalidApiParameters("end_date must be later than start_date.");
        }
        List<KernelRow> rows = kernelsIn(start, end, s -> projectId == null || s.groupId.equals(projectId));
        Map<UUID, UsageGroup> projects = new LinkedHashMap<>();
        for (KernelRow row : rows) {
            UsageGroup kernel = UsageGroup.kernel(row);
            UsageGroup project = projects.computeIfAbsent(row.groupId(), id -> UsageGroup.projectFrom(kernel));
            project.register(kernel);
        }
        return projects.values().stream().map(p -> p.toJson(true)).toList();
    }

    private static Instant day(String yyyymmdd) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{4})(\\d{1,2})(\\d{1,2})")
                .matcher(yyyymmdd == null ? "" : yyyymmdd);
        try {
            if (!m.matches()) {
                throw new java.time.DateTimeException(yyyymmdd);
            }
            return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException invalid) {
            throw Problems.invalidApiParameters("Invalid date values");
        }
    }

    /** The manager's {@code ResourceUsage} totals. */
    private static final class Usage {
        final Set<String> agents = new LinkedHashSet<>();
        double cpuAllocated;
        double cpuUsed;
        long memAllocated;
        long memUsed;
        long diskUsed;
        long ioRead;
        long ioWrite;

        static Usage of(KernelRow row) {
            Usage usage = new Usage();
            if (row.agent() != null) {
                usage.agents.add(row.agent());
            }
            Map<String, Object> stat = row.lastStat();
            if (stat == null || stat.isEmpty()) {
                return usage;
            }
            usage.cpuAllocated = row.cpu().doubleValue();
            usage.cpuUsed = statDouble(stat, "cpu_used", "current");
            usage.memAllocated = row.mem().longValue();
            usage.memUsed = statValue(stat, "mem", "capacity");
            usage.diskUsed = statValue(stat, "io_scratch_size", "stats.max");
            usage.ioRead = statValue(stat, "io_read", "current");
            usage.ioWrite = statValue(stat, "io_write", "current");
            return usage;
        }

        void add(Usage other) {
            agents.addAll(other.agents);
            cpuAllocated += other.cpuAllocated;
            cpuUsed += other.cpuUsed;
            memAllocated += other.memAllocated;
            memUsed += other.memUsed;
            diskUsed += other.diskUsed;
            ioRead += other.ioRead;
            ioWrite += other.ioWrite;
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("nfs", List.of());
            json.put("cpu_allocated", cpuAllocated);
            json.put("cpu_used", cpuUsed);
            json.put("mem_allocated", memAllocated);
            json.put("mem_used", memUsed);
            json.put("shared_memory", 0);
            json.put("disk_allocated", 0);
            json.put("disk_used", diskUsed);
            json.put("io_read", ioRead);
            json.put("io_write", ioWrite);
            json.put("device_type", List.of());
            json.put("smp", 0.0);
            json.put("gpu_mem_allocated", 0.0);
            json.put("gpu_allocated", 0.0);
            return json;
        }
    }

    /** The manager's resource usage groups (kernel, session, project), with their quirks of what each keeps. */
    private static final class UsageGroup {
        final String unit;
        final KernelRow row;
        final Map<UUID, UsageGroup> children = new LinkedHashMap<>();
        final Usage total;
        Set<String> images;
        Set<String> agents;
        final boolean project;

        private UsageGroup(String unit, KernelRow row, Usage total, Set<String> images, Set<String> agents) {
            this.unit = unit;
            this.row = row;
            this.total = total;
            this.images = images;
            this.agents = agents;
            this.project = unit.equals("project");
        }

        static UsageGroup kernel(KernelRow row) {
            return new UsageGroup("kernel", row, Usage.of(row), new LinkedHashSet<>(List.of(row.image())),
                    row.agent() == null ? new LinkedHashSet<>() : new LinkedHashSet<>(List.of(row.agent())));
        }

        static UsageGroup projectFrom(UsageGroup kernel) {
            return new UsageGroup("project", kernel.row, new Usage(), null, new LinkedHashSet<>(kernel.agents));
        }

        static UsageGroup sessionFrom(UsageGroup kernel) {
            return new UsageGroup("session", kernel.row, new Usage(), new LinkedHashSet<>(kernel.images),
                    new LinkedHashSet<>(kernel.agents));
        }

        void register(UsageGroup kernel) {
            if (project) {
                UsageGroup session = children.computeIfAbsent(kernel.row.sessionId(), id -> sessionFrom(kernel));
                if (!session.children.containsKey(kernel.row.kernelId())) {
                    session.children.put(kernel.row.kernelId(), kernel);
                    session.total.add(kernel.total);
                    session.images.addAll(kernel.images);
                    session.agents.addAll(kernel.agents);
                    total.add(kernel.total);
                    images = images == null ? new LinkedHashSet<>(kernel.images) : images;
                    images.addAll(kernel.images);
                    agents.addAll(kernel.agents);
                }
            }
        }

        Map<String, Object> toJson(boolean child) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("created_at", PythonRepr.str(row.created()));
            json.put("used_time", row.terminated() == null ? null
                    : PythonRepr.timedelta(Duration.between(row.created(), row.terminated())));
            json.put("used_days", usedDays(row));
            json.put("user_id", row.userId().toString());
            json.put("user_email", row.email());
            json.put("access_key", row.accessKey());
            json.put("project_id", row.groupId().toString());
            json.put("project_name", row.groupName());
            json.put("kernel_id", row.kernelId().toString());
            json.put("container_ids", List.of());
            json.put("session_id", row.sessionId().toString());
            json.put("session_name", row.sessionName());
            json.put("domain_name", row.domainName());
            json.put("last_stat", row.lastStat());
            json.put("extra_info", Map.of());
            json.put("full_name", project ? null : row.fullName());
            json.put("images", images == null ? List.of() : new ArrayList<>(images));
            json.put("agents", project ? new ArrayList<>(total.agents) : new ArrayList<>(agents));
            json.put("status", project ? null : row.status());
            json.put("status_info", project ? null : row.statusInfo());
            json.put("status_history", project ? null : pythonDict(row.history()));
            json.put("cluster_mode", project ? null : row.clusterMode());
            json.put("scheduled_at", project ? null : row.history().get("SCHEDULED"));
            json.put("terminated_at", project || row.terminated() == null ? null : PythonRepr.str(row.terminated()));
            json.put("total_usage", total.toJson());
            if (unit.equals("kernel")) {
                json.put("agent", row.agent());
            }
            json.put("group_unit", unit);
            if (child && unit.equals("project")) {
                Map<String, Object> sessionsJson = new LinkedHashMap<>();
                children.forEach((id, s) -> sessionsJson.put(id.toString(), s.toJson(true)));
                json.put("sessions", sessionsJson);
            } else if (child && unit.equals("session")) {
                Map<String, Object> kernelsJson = new LinkedHashMap<>();
                children.forEach((id, k) -> kernelsJson.put(id.toString(), k.toJson(false)));
                json.put("kernels", kernelsJson);
            }
            return json;
        }

        private static String pythonDict(Map<String, String> history) {
            return history == null ? null : PythonRepr.stringMap(history);
        }
    }
}
