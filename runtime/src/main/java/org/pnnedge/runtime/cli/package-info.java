/**
 * The {@code pnn} command line (picocli): one class per command, thin over the other packages; usage errors are
 * {@code CliException}s with exit code 2.
 *
 * <p>Imports: any runtime package; nothing imports it.
 */
package org.pnnedge.runtime.cli;
