package org.pnnedge.runtime.ota;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.pnnedge.runtime.io.AtomicFiles;

/**
 * {@code <store>/unverified/}: where a bundle that no longer verifies at start-up is moved instead of being
 * overwritten. The usual cause is not a bad bundle but a changed {@code bundle.trusted_keys} (a wrong directory, a
 * key removed on purpose or by mistake): the store then falls back to {@code previous.pnnb} or the shipped bundle,
 * and the operator who fixes the configuration can move the update back ({@code ota.md}, "Keys") instead of
 * pushing it again. Bounded: the newest {@link #KEEP} files are kept, so a store that fails to verify on every
 * start does not fill the SD card.
 */
final class SetAside {
    static final String DIR = "unverified";
    static final int KEEP = 4;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private SetAside() {
    }

    /**
     * Moves {@code file} (e.g. {@code active.pnnb}) to {@code unverified/<UTC time>-<nn>-<name>.pnnb} (directory 0700,
     * the file keeps its mode) and deletes the oldest beyond {@link #KEEP}; returns where it went. The time leads
     * the name so that the names sort in the order the files were set aside.
     */
    static Path keep(Path store, Path file) throws IOException {
        Path dir = store.resolve(DIR);
        AtomicFiles.createPrivateDirectories(dir);
        String name = file.getFileName().toString().replaceFirst("\\.pnnb$", "");
        String stamp = STAMP.format(Instant.now());
        Path target;
        int n = 1; // several in one millisecond (active and previous at one start) keep their order
        do {
            target = dir.resolve(String.format(Locale.ROOT, "%s-%02d-%s.pnnb", stamp, n++, name));
        } while (Files.exists(target));
        AtomicFiles.move(file, target);
        prune(dir);
        return target;
    }

    private static void prune(Path dir) throws IOException {
        List<Path> kept;
        try (Stream<Path> s = Files.list(dir)) {
            kept = s.filter(p -> p.getFileName().toString().endsWith(".pnnb"))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
        for (int i = 0; i < kept.size() - KEEP; i++) {
            AtomicFiles.delete(kept.get(i));
        }
    }
}
