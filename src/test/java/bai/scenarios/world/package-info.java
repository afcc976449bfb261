/** Per-scenario state shared between step classes through PicoContainer; created fresh for every scenario. */
package bai.scenarios.world;
