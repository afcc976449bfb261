package bai.scenarios.steps;

import bai.scenarios.client.ServicesApi.ServiceSpec;

/**
 * The shape of a model service's replicas: how many containers each inference session has and
 * whether they share one node ({@code single-node}) or are spread over several ({@code multi-node}).
 */
public record Topology(int containers, String clusterMode) {
    static Topology of(String words) {
        return switch (words) {
            case "a single container" -> new Topology(1, "single-node");
            case "3 containers on one node" -> new Topology(3, "single-node");
            case "3 containers on separate nodes" -> new Topology(3, "multi-node");
            default -> throw new IllegalArgumentException("unknown topology: " + words);
        };
    }

    ServiceSpec apply(ServiceSpec spec) {
        return spec.onCluster(containers, clusterMode);
    }
}
