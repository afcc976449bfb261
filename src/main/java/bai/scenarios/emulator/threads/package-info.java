/** The emulator's background threads (timer, agents' pool) and their failure policy. */
package bai.scenarios.emulator.threads;
