/**
 * The controller's processes under one supervisor ({@code pnn fleet controller run}, started in the background by
 * {@code pnn fleet up}): the ingest workers, the fleet page and one dispatcher per fleet, each a child JVM on the
 * current class path with a pid file and a log in {@code <state dir>/controller/}; a child that dies is restarted
 * with back-off, at most a bounded number of times a minute ({@link org.pnnedge.fleet.supervise.RestartPolicy}).
 * Design: {@code src/site/markdown/fleet.md} ("Controller processes").
 *
 * <p>Imports: the JDK, Jackson, tinylog and the runtime's {@code io} (atomic files, whether a pid runs). It knows nothing of the
 * command line: the children's main class and arguments are given to it.
 */
package org.pnnedge.fleet.supervise;
