/**
 * The controller's command line, {@code pnn fleet up|down|db|rollout|status|ingest|serve|dispatch|controller} (./pnn runs it on the
 * controller's own class path; {@code pnn fleet cluster|account} stay in the runtime). Exit codes as everywhere:
 * 0 ok, 1 failure, 2 usage or bad input.
 *
 * <p>Imports: the JDK, picocli, Jackson and this module's packages.
 */
package org.pnnedge.fleet.cli;
