/**
 * Crash-safe file helpers shared by the bundle store, recalibration state and the alarm's measurements
 * ({@link org.pnnedge.runtime.io.AtomicFiles}: write to a temporary file, fsync, rename, fsync the directory), and
 * whether a pid recorded in a pid file still runs ({@link org.pnnedge.runtime.io.Processes}), and the one way to end
 * a process, SIGTERM then SIGKILL with one timeout policy ({@link org.pnnedge.runtime.io.ProcessStop}).
 *
 * <p>Imports: the JDK only. Every runtime package may use it; it uses none of them.
 */
package org.pnnedge.runtime.io;
