package org.pnnedge.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The registry of {@link DeviceProvider}s by scheme, loaded once from the class path. */
final class DeviceProviders {
    private DeviceProviders() {
    }

    /** Lazy holder: loaded on first use, by the class loader that loaded the bridge (not the thread's). */
    private static final class Loaded {
        static final Map<String, DeviceProvider> BY_SCHEME = load();

        private static Map<String, DeviceProvider> load() {
            Map<String, DeviceProvider> m = new LinkedHashMap<>();
            for (DeviceProvider p : ServiceLoader.load(DeviceProvider.class, DeviceProvider.class.getClassLoader())) {
                m.putIfAbsent(p.scheme(), p);
            }
            return m;
        }
    }

    /** The provider of a scheme (lower case), or null. */
    static DeviceProvider forScheme(String scheme) {
        return Loaded.BY_SCHEME.get(scheme);
    }

    /** "spi:&lt;bus&gt;.&lt;cs&gt;, tcp://host:port or emulator:&lt;shg|circuit&gt;", for messages. */
    static String examples() {
        String all = Loaded.BY_SCHEME.values().stream().map(DeviceProvider::example)
                .collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return last < 0 ? all : all.substring(0, last) + " or " + all.substring(last + 2);
    }
}
