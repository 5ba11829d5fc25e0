package org.pnnedge.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.pnnedge.runtime.cli.Main;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build step of the release: writes the man pages (AsciiDoc, one per command and subcommand, by picocli-codegen;
 * the build turns them into troff with Asciidoctor) and the bash completion script, both from the very command
 * line {@code pnn} runs ({@link Main#commandLine()}: its help options and examples included).
 *
 * <p>Usage: {@code CliDocs ADOC_DIR COMPLETION_FILE}.
 */
public final class CliDocs {
    private CliDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CliDocs ADOC_DIR COMPLETION_FILE");
        }
        CommandLine cl = Main.commandLine();
        Path adoc = Path.of(args[0]);
        Files.createDirectories(adoc);
        int rc = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, cl.getCommandSpec());
        if (rc != 0) {
            throw new IOException("man page generation failed with " + rc);
        }
        Path completion = Path.of(args[1]);
        Files.createDirectories(completion.toAbsolutePath().getParent());
        // the script is sourced by bash-completion, never run: no #! line (lintian: bash-completion-with-hashbang)
        String script = AutoComplete.bash("pnn", cl).replaceFirst("\\A#![^\n]*\n", "");
        Files.writeString(completion, script, StandardCharsets.UTF_8);
        File[] pages = adoc.toFile().listFiles((d, n) -> n.endsWith(".adoc"));
        System.out.printf("CliDocs: %d man pages in %s, completion %s%n", pages == null ? 0 : pages.length, adoc,
                completion);
    }
}
