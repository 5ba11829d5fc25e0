package org.pnnedge.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Build step of the release, after the man pages exist: compresses them as Debian policy 12.1 asks
 * ({@code gzip -9n}: best compression, no name, no time stamp, so the bytes depend only on the content) and writes
 * the native package's {@code changelog.gz} (policy 12.7) for the version jdeb puts into the control file
 * ({@link #debianVersion}).
 *
 * <p>Usage: {@code DebianDocs MAN_DIR CHANGELOG_GZ PROJECT_VERSION BUILD_TIMESTAMP} (the timestamp as Maven's
 * {@code maven.build.timestamp}, ISO-8601 in UTC).
 */
public final class DebianDocs {
    /** The Maintainer of the control file: the changelog's trailer must name the same person. */
    static final String MAINTAINER = "PNN Edge developers <pnn-edge@users.noreply.github.com>";
    /** Maven versions that jdeb turns into Debian ones (see {@link #debianVersion}). */
    private static final Pattern SNAPSHOT = Pattern.compile("(.*)[\\-+]SNAPSHOT");
    private static final Pattern PRE_RELEASE =
            Pattern.compile("^(?:(?:(.*?)([.\\-_]))|(.*[^a-z]))(alpha|a|beta|b|milestone|m|cr|rc)([^a-z].*)?$",
                    Pattern.CASE_INSENSITIVE);

    private DebianDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: DebianDocs MAN_DIR CHANGELOG_GZ PROJECT_VERSION BUILD_TIMESTAMP");
        }
        int pages = gzipManPages(Path.of(args[0]));
        Path changelog = Path.of(args[1]);
        Files.createDirectories(changelog.toAbsolutePath().getParent());
        String text = changelog(args[2], Instant.parse(args[3]));
        gzip(text.getBytes(StandardCharsets.UTF_8), changelog);
        System.out.printf("DebianDocs: %d man pages gzipped in %s; %s: %s", pages, args[0], changelog,
                text.lines().findFirst().orElseThrow() + System.lineSeparator());
    }

    /** Replaces every uncompressed man page (NAME.SECTION) in {@code dir} by NAME.SECTION.gz; returns how many. */
    static int gzipManPages(Path dir) throws IOException {
        List<Path> pages;
        try (Stream<Path> s = Files.list(dir)) {
            pages = s.filter(p -> p.getFileName().toString().matches(".+\\.[1-9]")).sorted().toList();
        }
        if (pages.isEmpty()) {
            throw new IOException("no man pages in " + dir + " (did the man-pages step run?)");
        }
        for (Path page : pages) {
            gzip(Files.readAllBytes(page), page.resolveSibling(page.getFileName() + ".gz"));
            Files.delete(page);
        }
        return pages.size();
    }

    /**
     * The one entry of a native package's changelog (the release history is the git log): Debian's format, with
     * the version converted exactly as jdeb converts it for the control file (1.0-SNAPSHOT becomes 1.0~SNAPSHOT).
     */
    static String changelog(String projectVersion, Instant built) {
        String version = debianVersion(projectVersion);
        String date = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(built);
        return "pnn-edge (" + version + ") unstable; urgency=medium\n\n"
                + "  * PNN Edge " + projectVersion + ", built from the project's sources by\n"
                + "    mvn -B package -Prelease. The changes are the git history of\n"
                + "    https://github.com/pnn-edge/pnn-edge; pnn --version names the commit.\n\n"
                + " -- " + MAINTAINER + "  " + date + "\n";
    }

    /**
     * The Debian version jdeb 1.14 writes for a Maven version with {@code snapshotExpand=false}
     * ({@code org.vafer.jdeb.utils.Utils.convertToDebianVersion}; its class cannot be loaded without Ant): SNAPSHOT
     * and pre-releases sort before the release ({@code ~}), other characters Debian does not allow become {@code +}.
     * Checked against jdeb's for 1.0-SNAPSHOT, 1.0, 1.0-rc.1, 1.2-beta-2, 2.0-M3, 1.0_foo; it differs only where jdeb
     * writes "null" (a bare qualifier such as 1.0-alpha: jdeb 1.0~alphanull, here 1.0~alpha). install-test.sh checks
     * that the built package's changelog and control file agree.
     */
    static String debianVersion(String mavenVersion) {
        String v = mavenVersion;
        Matcher m = SNAPSHOT.matcher(v);
        if (m.matches()) {
            v = m.group(1) + "~SNAPSHOT";
        } else if ((m = PRE_RELEASE.matcher(v)).matches()) {
            String base = m.group(1) != null ? m.group(1) : m.group(3);
            v = base + "~" + m.group(4) + (m.group(5) == null ? "" : m.group(5));
        }
        return v.replaceAll("[^.+~A-Za-z0-9]", "+").replaceAll("\\++", "+");
    }

    /** gzip -9n: maximum compression (the header says so), no file name, modification time 0, OS Unix. */
    static void gzip(byte[] content, Path target) throws IOException {
        GzipParameters params = new GzipParameters();
        params.setCompressionLevel(Deflater.BEST_COMPRESSION);
        params.setModificationTime(0);
        params.setOperatingSystem(3);
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(target), params)) {
            out.write(content);
        }
    }
}
