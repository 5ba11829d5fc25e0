package org.pnnedge.runtime.mqtt;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened (links, clients), closed newest first after each test; best effort, so that a failing close
 * does not hide the test's own result.
 */
final class Closer implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Closes {@code c} at {@link #close}; returns it. */
    <T extends AutoCloseable> T add(T c) {
        open.add(c);
        return c;
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
        open.clear();
    }
}
