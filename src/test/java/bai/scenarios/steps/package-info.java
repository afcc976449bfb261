/** Thin Cucumber step definitions: parse the sentence, delegate to world/client objects, assert. */
package bai.scenarios.steps;
