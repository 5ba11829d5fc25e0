package org.pnnedge.fleet.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL server programs are: {@code $PNN_PG_BIN} when set, else the newest
 * {@code /usr/lib/postgresql/<major>/bin} (Debian's layout; {@code apt install postgresql}).
 *
 * @param bin   the directory holding {@code initdb}, {@code pg_ctl} and {@code postgres}
 * @param major the server's major version (from the directory name, 0 when unknown)
 */
public record PgBinaries(Path bin, int major) {
    private static final Path DEBIAN = Path.of("/usr/lib/postgresql");

    /** The binaries to use, or empty (with nothing installed) — callers say how to install them. */
    public static Optional<PgBinaries> find() {
        String env = System.getenv("PNN_PG_BIN");
        if (env != null && !env.isBlank()) {
            Path bin = Path.of(env);
            return complete(bin) ? Optional.of(new PgBinaries(bin, 0)) : Optional.empty();
        }
        if (!Files.isDirectory(DEBIAN)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN)) {
            return versions.filter(d -> d.getFileName().toString().matches("\\d+") && complete(d.resolve("bin")))
                    .max(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString())))
                    .map(d -> new PgBinaries(d.resolve("bin"), Integer.parseInt(d.getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The message for a machine without PostgreSQL. */
    public static String missing() {
        return "no PostgreSQL server found (looked at $PNN_PG_BIN and /usr/lib/postgresql/*/bin): install it with "
                + "`apt install postgresql` (Debian 12: PostgreSQL 15)";
    }

    private static boolean complete(Path bin) {
        return Stream.of("initdb", "pg_ctl", "postgres").allMatch(p -> Files.isExecutable(bin.resolve(p)));
    }

    Path tool(String name) {
        return bin.resolve(name);
    }
}
