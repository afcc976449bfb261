/** The manager's HMAC request authentication, implemented independently of the suite's signer. */
package bai.scenarios.emulator.auth;
