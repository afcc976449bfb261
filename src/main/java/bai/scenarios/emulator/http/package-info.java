/** The manager's request pipeline: routing, middleware order, problem+json errors, rate limiting. */
package bai.scenarios.emulator.http;
