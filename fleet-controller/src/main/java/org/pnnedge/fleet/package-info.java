/**
 * The fleet controller: the operator's side of a fleet of PNN Edge devices on the broker cluster — staged rollouts
 * and fleet monitoring, with their state in PostgreSQL ({@code db}). Runs beside the cluster, never on a device.
 * Design: {@code src/site/markdown/fleet.md}.
 *
 * <p>Imports: the JDK, picocli, Jackson, the runtime's {@code fleet}, {@code ota} and {@code mqtt} contracts,
 * {@code org.pnnedge.models.bundle}, and this module's subpackages.
 */
package org.pnnedge.fleet;
