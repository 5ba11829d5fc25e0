/**
 * Build steps of the release packages (only built with {@code -Prelease}): {@link org.pnnedge.packaging.CliDocs}
 * writes the man pages and the bash completion from the CLI.
 *
 * <p>Imports: the runtime's CLI entry point ({@code org.pnnedge.runtime.cli.Main}) and picocli; nothing imports it.
 */
package org.pnnedge.packaging;
