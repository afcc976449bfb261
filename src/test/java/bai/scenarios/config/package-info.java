/** Suite settings, target selection (configured manager or embedded emulator) and the preflight. */
package bai.scenarios.config;
