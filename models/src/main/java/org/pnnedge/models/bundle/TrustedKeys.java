package org.pnnedge.models.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The public keys whose bundles are accepted, by key id. Immutable. */
public final class TrustedKeys {
    private static final TrustedKeys NONE = new TrustedKeys(Map.of());

    private final Map<String, TrustedKey> byId;

    private TrustedKeys(Map<String, TrustedKey> byId) {
        this.byId = byId;
    }

    /** No trusted keys: every signed bundle is rejected as {@link BundleException.Reason#UNTRUSTED_KEY}. */
    public static TrustedKeys none() {
        return NONE;
    }

    public static TrustedKeys of(TrustedKey... keys) {
        return of(List.of(keys));
    }

    public static TrustedKeys of(Collection<TrustedKey> keys) {
        Map<String, TrustedKey> m = new LinkedHashMap<>();
        for (TrustedKey k : keys) {
            // the same key twice (e.g. a file and a directory holding it): development if either says so
            m.merge(k.keyId(), k, (a, b) -> a.development() || !b.development() ? a : b);
        }
        return new TrustedKeys(java.util.Collections.unmodifiableMap(m));
    }

    /**
     * Loads public keys from files and directories: a file is read as one public key; a directory
     * contributes every {@code *.pub} file directly inside it (sorted by name) and must hold at least one.
     */
    public static TrustedKeys load(Collection<Path> paths) throws IOException {
        List<TrustedKey> keys = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> pubs;
                try (Stream<Path> s = Files.list(p)) {
                    pubs = s.filter(f -> f.getFileName().toString().endsWith(".pub") && Files.isRegularFile(f))
                            .sorted().toList();
                }
                if (pubs.isEmpty()) {
                    throw new IllegalArgumentException("no .pub files in directory " + p);
                }
                for (Path f : pubs) {
                    keys.add(KeyFiles.readPublic(f));
                }
            } else {
                keys.add(KeyFiles.readPublic(p));
            }
        }
        return of(keys);
    }

    public static TrustedKeys load(Path... paths) throws IOException {
        return load(List.of(paths));
    }

    public TrustedKeys plus(TrustedKey key) {
        List<TrustedKey> all = new ArrayList<>(byId.values());
        all.add(key);
        return of(all);
    }

    public Optional<TrustedKey> find(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    public int size() {
        return byId.size();
    }

    public Set<String> keyIds() {
        return byId.keySet();
    }

    public Collection<TrustedKey> keys() {
        return byId.values();
    }

    @Override
    public String toString() {
        return "TrustedKeys" + byId.keySet();
    }
}
