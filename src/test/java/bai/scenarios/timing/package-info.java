/**
 * Where a scenario's time goes, recorded by the suite itself: per-scenario phase clocks fed by
 * the client and the fixtures, collected into {@code reports/run-info.json} by the run report
 * plugin, and the benchmark that runs the scenarios at several parallelism levels.
 */
package bai.scenarios.timing;
