/** Route handlers, one class per manager API area. */
package bai.scenarios.emulator.api;
