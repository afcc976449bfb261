/**
 * Which scenarios a run holds: the tag expression ({@code cucumber.filter.tags}) applied while the
 * JUnit Platform plans the run, so that scenarios it does not select are left out, not skipped.
 */
package bai.scenarios.selection;
