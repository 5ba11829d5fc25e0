package org.pnnedge.bridge.emulator.physics;

import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;

import org.pnnedge.bridge.PhysicsKind;

/** The {@link PhysicsProvider}s by kind, loaded once from the class path (first provider of a kind wins). */
final class PhysicsRegistry {
    private static final Map<PhysicsKind, PhysicsProvider> BY_KIND = load();

    private PhysicsRegistry() {
    }

    private static Map<PhysicsKind, PhysicsProvider> load() {
        Map<PhysicsKind, PhysicsProvider> m = new EnumMap<>(PhysicsKind.class);
        for (PhysicsProvider p : ServiceLoader.load(PhysicsProvider.class, PhysicsProvider.class.getClassLoader())) {
            m.putIfAbsent(p.kind(), p);
        }
        return m;
    }

    static PhysicsProvider forKind(PhysicsKind kind) {
        PhysicsProvider p = BY_KIND.get(kind);
        if (p == null) {
            throw new IllegalArgumentException("no physics model for '" + kind.id() + "' on the class path");
        }
        return p;
    }
}
