/** Typed manager API client: one signed client per keypair, domain APIs hanging off it. Knows nothing of Cucumber. */
package bai.scenarios.client;
