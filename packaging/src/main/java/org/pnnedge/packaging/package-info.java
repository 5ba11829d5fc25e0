/**
 * Build steps of the release packages (only built with {@code -Prelease}): {@link org.pnnedge.packaging.CliDocs}
 * writes the man pages and the bash completion from the CLI; {@link org.pnnedge.packaging.DebianDocs} compresses the
 * man pages and writes the Debian changelog.
 *
 * <p>Imports: the runtime's CLI entry point ({@code org.pnnedge.runtime.cli.Main}), picocli, commons-compress (gzip)
 * and jdeb's version conversion; nothing imports it.
 */
package org.pnnedge.packaging;
