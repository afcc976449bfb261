/**
 * The Backend.AI manager emulator: an in-process or standalone stand-in that speaks the manager's
 * wire protocol. Shares no code with the suite's client.
 *
 * <h2>Concurrency design</h2>
 *
 * <p><b>One state lock.</b> All manager state — the {@code state.Directory} (domains, projects,
 * users, keypairs, policies) and the session registry with its agents' capacity
 * ({@code sessions.Sessions}) — is guarded by a single {@code state.StateLock}. Because there is
 * only one, a call from one subsystem into the other while holding it (a project purge asking
 * whether sessions live in the project, the scheduler reading a keypair's policy) cannot take
 * locks in reverse order: there is no order to reverse.
 *
 * <p><b>What may run under it:</b> reading and changing in-memory state, and taking a <i>leaf</i>
 * lock (the rate limiter, a kernel log, the event queue). Never: I/O, process starts or stops,
 * waits, or calling into a kernel. {@code StateLock.requireNotHeld} guards the places that must
 * not run under it.
 *
 * <p><b>Leaf locks</b> are taken alone or under the state lock, never the other way round: a
 * {@code sessions.PythonKernel}'s monitor (its run state; completes futures and calls listeners
 * only after releasing it), its stdin lock, {@code sessions.KernelLog}, the rate limiter, the
 * kernel pool's lock and the fork server's request pipe ({@code sessions.KernelForkServer}: a
 * line written to a process that always reads).
 *
 * <p><b>Threads</b>, and what each may do:
 * <ul>
 *   <li>the initialisation thread ({@code emulator-init}): while {@code ManagerEmulator.start}
 *       returns as soon as both servers listen, builds everything that needs the manager state
 *       (bootstrap accounts, kernel host, sessions, routes) and hands the request pipeline over
 *       through one future; a request that arrives first waits for it holding no thread, and a
 *       failure is answered to every request (see {@code ManagerEmulator});</li>
 *   <li>Undertow's IO threads: only move bytes ({@code http.HttpFront});</li>
 *   <li>request workers: route, authenticate, run a handler; never wait for a session or a
 *       kernel — a create that waits for RUNNING, an execute that waits for output and an event
 *       stream are answered later through futures and hold no thread meanwhile;</li>
 *   <li>the scheduler ({@code emulator-scheduler}): decides under the state lock, hands slow work
 *       to the agents' pool, survives any exception of any session;</li>
 *   <li>the agents' pool ({@code emulator-agent-N}, {@code threads.Background}): starts and stops
 *       kernel processes and removes scratch directories (those of emulators that died, too: off
 *       the start), then commits the outcome under the state lock (a session that moved on
 *       meanwhile gets its late kernel stopped);</li>
 *   <li>the event dispatcher ({@code emulator-events}): delivers session events to listeners
 *       (event streams, waiting creates) in order, outside any lock;</li>
 *   <li>the timer ({@code emulator-timer}): deadlines and pings;</li>
 *   <li>one output reader per kernel: parses its runner's messages;</li>
 *   <li>the fork server's acceptor ({@code kernel-fork-acceptor}) and reports reader
 *       ({@code kernel-fork-reports}): hand each forked runner's connection to the fork that
 *       asked for it, and record exit codes; both survive any failure of one connection.</li>
 * </ul>
 *
 * <p><b>Stopping</b> ({@code ManagerEmulator.close}, the standalone emulator's SIGTERM hook, the
 * suite's shutdown hook) takes no state lock: it stops the scheduler, kills every kernel process
 * and gives the HTTP server a short grace. Each kernel runner leads its own process group and
 * kills it when its stdin (a forked runner: its connection) closes, which also happens when the JVM
 * dies by {@code kill -9}.
 */
package bai.scenarios.emulator;
