/** REST Assured plumbing: HMAC signing, deliberate forgeries for negative scenarios, redacted evidence. */
package bai.scenarios.client.transport;
