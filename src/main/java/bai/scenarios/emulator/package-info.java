/** The Backend.AI manager emulator: an in-process or standalone stand-in that speaks the manager's wire protocol. Shares no code with the suite's client. */
package bai.scenarios.emulator;
