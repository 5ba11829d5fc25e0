package org.pnnedge.runtime.device;

import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Function;

import org.pnnedge.bridge.DeviceLink;

/**
 * Exclusive use of the device for work that shares it with inference (OTA self-tests, recalibration): the
 * link is not thread-safe, so everyone holds the service's device lock while using it, and only for as long
 * as a device phase lasts (inference pauses for a bounded, reported time).
 */
public interface DeviceAccess {
    /** Runs {@code action} with exclusive use of the device and returns its result; the link must not escape. */
    <T> T withDevice(Function<DeviceLink, T> action);

    /** {@link #withDevice} for work without a result. */
    default void run(Consumer<DeviceLink> work) {
        withDevice(link -> {
            work.accept(link);
            return null;
        });
    }

    /** Guarded by {@code lock}, the same lock the service holds around every inference. */
    static DeviceAccess locked(DeviceLink link, Lock lock) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(lock, "lock");
        return new DeviceAccess() {
            @Override
            public <T> T withDevice(Function<DeviceLink, T> action) {
                lock.lock();
                try {
                    return action.apply(link);
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    /** A device nobody else uses (command line, tests). */
    static DeviceAccess unshared(DeviceLink link) {
        Objects.requireNonNull(link, "link");
        return new DeviceAccess() {
            @Override
            public <T> T withDevice(Function<DeviceLink, T> action) {
                return action.apply(link);
            }
        };
    }
}
