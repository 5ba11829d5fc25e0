/**
 * A local MQTT 5 broker cluster for fleets: three ejabberd nodes ({@code mod_mqtt}) started as separate instances
 * with their own configuration, spool and logs under a state directory the project owns, joined through Erlang
 * distribution on loopback; per-account credentials and topic ACLs ({@link org.pnnedge.runtime.fleet.FleetAccounts},
 * {@code EjabberdConfig}); process control and remote calls ({@code Ejabberd}); the operations behind
 * {@code pnn fleet cluster up|down|status} ({@link org.pnnedge.runtime.fleet.FleetCluster}). Design and measured
 * limits: {@code src/site/markdown/fleet.md}.
 *
 * <p>Imports: the JDK, Jackson, tinylog and {@code io}; no other runtime package.
 */
package org.pnnedge.runtime.fleet;
