package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "keygen", description = {
        "Create an Ed25519 key pair for signing model bundles: NAME.key (private, mode 0600) and NAME.pub.",
        "Give NAME.pub to the devices (pnn verify --trust); keep NAME.key secret."})
final class KeygenCommand implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the key files (created if missing).")
    Path out;

    @Option(names = "--name", defaultValue = "pnn-signing", description = "Base name of the files (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--force", description = "Overwrite existing key files (the old key is lost).")
    boolean force;

    @Option(names = "--dev", description = "Mark the key as a DEVELOPMENT key: bundles it signs load with a warning.")
    boolean dev;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new CliException("--name must be 1..64 of A-Z a-z 0-9 . _ - (not starting with '.'), got '" + name + "'");
        }
        Path priv = out.resolve(name + ".key");
        Path pub = out.resolve(name + ".pub");
        // check both before writing either, so a refusal never leaves half a key pair behind
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p) && !force) {
                throw new CliException(p + " already exists; use --force to overwrite it (the old key is lost)");
            }
        }
        SigningKey key = KeyFiles.generate(dev);
        try {
            Files.createDirectories(out);
            KeyFiles.writePrivate(priv, key, force);
            KeyFiles.writePublic(pub, key.publicKey(), dev, force);
        } catch (IOException e) {
            throw new CliException("cannot write key files in " + out + ": " + FileProblem.why(out, e), e);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf("key id      %s%s%n", key.keyId(), dev ? " (DEVELOPMENT key)" : "");
        o.printf("private     %s  (keep secret; used by pnn sign --key)%n", priv);
        o.printf("public      %s  (give to devices; used by pnn verify --trust)%n", pub);
        return 0;
    }
}
