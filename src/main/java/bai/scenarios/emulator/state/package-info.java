/** What the emulated manager knows: bootstrap accounts (halfstack examples) and their registry. */
package bai.scenarios.emulator.state;
