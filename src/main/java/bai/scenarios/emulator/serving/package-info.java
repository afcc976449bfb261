/**
 * Model serving: the manager's endpoints and routes ({@code /services}, GraphQL {@code endpoint}s),
 * the agents' part (each route an {@code inference} session plus a real model service process
 * serving the model folder) and the app proxy's (a real loopback listener per service forwarding
 * to healthy replicas by traffic ratio, checking the service's tokens). See {@link
 * bai.scenarios.emulator.serving.ModelServices} for its threads and its use of the state lock.
 */
package bai.scenarios.emulator.serving;
