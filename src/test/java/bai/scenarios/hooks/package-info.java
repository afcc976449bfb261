/** Cucumber hooks and plugins: suite lifecycle, per-scenario evidence, the run report. */
package bai.scenarios.hooks;
