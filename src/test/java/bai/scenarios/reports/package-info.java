/**
 * What the reports show a reader of the features: the HTML and JUnit XML formatters as the suite
 * configures them, the HTML report's presentation of failures and examples, evidence moved to the
 * step it belongs to, and advice for undefined steps. {@code hooks.DurableReports} feeds them.
 */
package bai.scenarios.reports;
