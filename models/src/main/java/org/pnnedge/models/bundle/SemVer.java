package org.pnnedge.models.bundle;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A semantic version (semver.org 2.0.0): {@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}.
 *
 * <p>{@link #compareTo} implements semver precedence, which ignores build metadata: {@code 1.0.0+a} and
 * {@code 1.0.0+b} compare equal although they are not {@link #equals}. Downgrade checks use precedence.
 */
public record SemVer(long major, long minor, long patch, List<String> preRelease, List<String> build)
        implements Comparable<SemVer> {

    // The regular expression suggested by semver.org, with named groups.
    private static final Pattern SEMVER = Pattern.compile(
            "^(?<major>0|[1-9]\\d*)\\.(?<minor>0|[1-9]\\d*)\\.(?<patch>0|[1-9]\\d*)"
                    + "(?:-(?<pre>(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+(?<build>[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    private static final Pattern NUMERIC = Pattern.compile("0|[1-9]\\d*");
    private static final Pattern PRE_ID = Pattern.compile("0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*");
    private static final Pattern BUILD_ID = Pattern.compile("[0-9a-zA-Z-]+");

    public SemVer {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must be non-negative: " + major + "." + minor + "." + patch);
        }
        preRelease = List.copyOf(preRelease == null ? List.of() : preRelease);
        build = List.copyOf(build == null ? List.of() : build);
        for (String id : preRelease) {
            if (!PRE_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("bad pre-release identifier '" + id
                        + "' (alphanumerics and '-', numeric ones without leading zeros)");
            }
        }
        for (String id : build) {
            if (!BUILD_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("bad build identifier '" + id + "' (alphanumerics and '-')");
            }
        }
    }

    public static SemVer of(long major, long minor, long patch) {
        return new SemVer(major, minor, patch, List.of(), List.of());
    }

    /** Parses a strict semver string; the message says what is wrong. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SemVer parse(String text) {
        Objects.requireNonNull(text, "version");
        Matcher m = SEMVER.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a semantic version MAJOR.MINOR.PATCH"
                    + "[-PRERELEASE][+BUILD] (e.g. 1.4.0, 2.0.0-rc.1), see semver.org");
        }
        String pre = m.group("pre");
        String build = m.group("build");
        return new SemVer(number(m.group("major"), text), number(m.group("minor"), text), number(m.group("patch"), text),
                pre == null ? List.of() : List.of(pre.split("\\.")),
                build == null ? List.of() : List.of(build.split("\\.")));
    }

    private static long number(String digits, String text) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("version number " + digits + " in '" + text + "' is too large", e);
        }
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** True when this version has higher precedence than {@code other}. */
    public boolean isNewerThan(SemVer other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(SemVer o) {
        int c = Long.compare(major, o.major);
        if (c == 0) {
            c = Long.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, o.patch);
        }
        if (c != 0) {
            return c;
        }
        // A pre-release ranks below the release it precedes: 1.0.0-rc.1 < 1.0.0.
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
        }
        int n = Math.min(preRelease.size(), o.preRelease.size());
        for (int i = 0; i < n; i++) {
            c = compareIdentifiers(preRelease.get(i), o.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), o.preRelease.size());
    }

    private static int compareIdentifiers(String a, String b) {
        boolean na = NUMERIC.matcher(a).matches();
        boolean nb = NUMERIC.matcher(b).matches();
        if (na && nb) {
            // no leading zeros, so a longer digit string is a larger number (and no overflow for huge ones)
            int c = Integer.compare(a.length(), b.length());
            return c != 0 ? c : a.compareTo(b);
        }
        if (na != nb) {
            return na ? -1 : 1; // numeric identifiers rank below alphanumeric ones
        }
        return a.compareTo(b); // ASCII order
    }

    @JsonValue
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        if (!preRelease.isEmpty()) {
            s.append('-').append(String.join(".", preRelease));
        }
        if (!build.isEmpty()) {
            s.append('+').append(String.join(".", build));
        }
        return s.toString();
    }

    /** Copy without build metadata (what precedence sees). */
    public SemVer withoutBuild() {
        return new SemVer(major, minor, patch, preRelease, List.of());
    }
}
