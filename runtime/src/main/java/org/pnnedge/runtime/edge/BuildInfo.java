package org.pnnedge.runtime.edge;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.pnnedge.models.bundle.SemVer;

/**
 * What this build of PNN Edge is: version (from the pom, the one place it is set), git commit, build time and
 * kind ({@code release} from {@code mvn -Prelease}, {@code development} otherwise), read from the
 * {@code build.properties} resource that the build filters.
 *
 * @param version semver of the build, e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}
 * @param commit  abbreviated git commit, {@code +dirty} when the tree had changes; "unknown" without git
 * @param time    build time, ISO-8601 UTC
 * @param release true for a release build (the packages), false for a development build
 */
public record BuildInfo(String version, String commit, String time, boolean release) {
    private static final BuildInfo CURRENT = load();

    /** This build's information. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** {@link #version()} as a semver (0.0.0 when the build left it unknown). */
    public SemVer semVer() {
        try {
            return SemVer.parse(version);
        } catch (IllegalArgumentException e) {
            return SemVer.of(0, 0, 0);
        }
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a broken resource only makes the version unknown
        }
        String commit = value(p, "commit", "unknown");
        if ("true".equals(value(p, "dirty", "false")) && !"unknown".equals(commit)) {
            commit += "+dirty";
        }
        return new BuildInfo(value(p, "version", "0.0.0"), commit, value(p, "time", "unknown"),
                "release".equals(value(p, "kind", "development")));
    }

    private static String value(Properties p, String key, String unknown) {
        String v = p.getProperty(key, "").strip();
        return v.isEmpty() || v.startsWith("${") ? unknown : v;
    }
}
