package bai.scenarios.emulator.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Route table with aiohttp's matching rules: exact segments win over {@code {param}} segments,
 * an unknown path is a 404 and a known path with another method a 405.
 */
public final class Router {
    private final List<Route> routes = new ArrayList<>();
    /** Each route's template split into segments once, in {@link #routes}' order. */
    private final List<String[]> templates = new ArrayList<>();

    public Router add(String method, String template, AccessLevel access, Route.Handler handler) {
        return add(method, template, access, handler, Route.DEFAULT_MAX_BODY);
    }

    /** A route whose handler may read a body of up to {@code maxBodyBytes}. */
    public Router add(String method, String template, AccessLevel access, Route.Handler handler, long maxBodyBytes) {
        return add(new Route(method, template, access, handler, maxBodyBytes, false));
    }

    /**
     * A route that needs a running manager (the manager's {@code all_status_mw} ahead of the
     * access check): while it is frozen, everyone gets {@code 503 server-frozen}.
     */
    public Router addRunningOnly(String method, String template, AccessLevel access, Route.Handler handler) {
        return addRunningOnly(method, template, access, handler, Route.DEFAULT_MAX_BODY);
    }

    /** {@link #addRunningOnly(String, String, AccessLevel, Route.Handler)} with its own body limit. */
    public Router addRunningOnly(String method, String template, AccessLevel access, Route.Handler handler,
                                 long maxBodyBytes) {
        return add(new Route(method, template, access, handler, maxBodyBytes, true));
    }

    private Router add(Route route) {
        routes.add(route);
        templates.add(route.template().split("/", -1));
        return this;
    }

    /** The route for this method and decoded path, with its path parameters. */
    public Match match(String method, String path) {
        Match best = null;
        // aiohttp's 405 lists the allowed methods sorted (",".join(sorted(allowed_methods))).
        Set<String> allowed = new TreeSet<>();
        String[] got = path.split("/", -1);
        for (int index = 0; index < routes.size(); index++) {
            Route route = routes.get(index);
            Map<String, String> params = bind(templates.get(index), got);
            if (params == null) {
                continue;
            }
            if (!route.method().equals(method)) {
                allowed.add(route.method());
                continue;
            }
            if (best == null || params.size() < best.params().size()) {
                best = new Match(route, params, Set.of());
            }
        }
        if (best != null) {
            return best;
        }
        return new Match(null, Map.of(), allowed);
    }

    private static Map<String, String> bind(String[] want, String[] got) {
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> params = Map.of();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) {
                    return null;
                }
                if (params.isEmpty()) {
                    params = new LinkedHashMap<>();
                }
                params.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return params;
    }

    /** Result of routing: a route, or the methods the path does accept (empty: unknown path). */
    public record Match(Route route, Map<String, String> params, Set<String> allowedMethods) {
        public boolean found() {
            return route != null;
        }

        /** The error the manager raises for an unmatched request. */
        public ApiError failure(String path) {
            if (allowedMethods.isEmpty()) {
                return Problems.urlNotFound(path);
            }
            return Problems.methodNotAllowed(String.join(",", allowedMethods));
        }
    }
}
