/** Checks every outgoing request against the real manager's openapi.json and schema.graphql. */
package bai.scenarios.contract;
