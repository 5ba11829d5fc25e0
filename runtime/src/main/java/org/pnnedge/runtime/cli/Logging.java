package org.pnnedge.runtime.cli;

import java.util.HashMap;
import java.util.Map;

import org.pnnedge.runtime.config.EdgeConfig;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.tinylog.configuration.Configuration;

/** Service logging: console (stderr) plus, when log.file is set, a size-bounded rolling file. */
final class Logging {
    private Logging() {
    }

    /** Flushes and closes the log writers; call last. */
    static void shutdown() {
        try {
            org.tinylog.provider.ProviderRegistry.getLoggingProvider().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void configure(RuntimeConfig cfg) {
        Map<String, String> m = new HashMap<>();
        EdgeConfig.Log log = cfg.typed().log();
        String level = log.level();
        m.put("autoshutdown", "false"); // the service logs while it stops; shutdown() runs after it
        m.put("writer1", "console");
        m.put("writer1.level", level);
        m.put("writer1.stream", "err");
        m.put("writer1.format", "{date: HH:mm:ss.SSS} {level} {message}");
        if (log.file().isPresent()) {
            String file = log.file().get().toString();
            m.put("writer2", "rolling file");
            m.put("writer2.level", level);
            m.put("writer2.file", file.contains("{") ? file : file + ".{count}");
            m.put("writer2.latest", file);
            m.put("writer2.policies", "startup, size: " + log.maxSize());
            m.put("writer2.backups", String.valueOf(log.backups()));
            m.put("writer2.format", "{date: yyyy-MM-dd HH:mm:ss.SSS} {level} [{thread}] {message}");
        }
        try {
            Configuration.replace(m);
        } catch (UnsupportedOperationException e) {
            // logging already started (e.g. inside tests): keep the existing configuration
        }
    }
}
