package org.pnnedge.bridge.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * The accept loop on its own, with connections that are just closeable names: at most {@code maxClients} served,
 * the next refused and counted, a slot given back when its client ends or its thread cannot start, and a failing
 * accept survived.
 */
class BoundedAcceptorTest {
    /** A connection: its name, and whether it was closed. */
    static final class Conn implements Closeable {
        final String name;
        volatile boolean closed;

        Conn(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void boundsRefusesGivesSlotsBackAndSurvivesFailures() throws Exception {
        BlockingQueue<Object> incoming = new LinkedBlockingQueue<>(); // a Conn, or an IOException to throw
        List<Runnable> done = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        BoundedAcceptor<Conn> a = new BoundedAcceptor<>("test", 2, () -> {
            Object next;
            try {
                next = incoming.poll(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IOException("interrupted");
            }
            if (next instanceof IOException e) {
                throw e;
            }
            if (next == null) {
                throw new IOException("no connection within 60 s");
            }
            return (Conn) next;
        }, (c, end) -> {
            if (c.name.equals("cannot-start")) {
                throw new IOException("no thread for it");
            }
            done.add(end); // "its thread" ends when the test runs end
        }, c -> {
            refused.add(c.name);
            c.close();
        }, stop::get, new RateLimitedLog(Duration.ofSeconds(10)));
        Thread loop = Thread.ofPlatform().daemon(true).start(a);
        try {
            incoming.add(new Conn("one"));
            incoming.add(new IOException("too many open files")); // logged, backed off, the loop goes on
            incoming.add(new Conn("two"));
            await(() -> a.clients() == 2, () -> "clients " + a.clients());
            Conn three = new Conn("three");
            incoming.add(three);
            await(() -> a.refused() == 1, () -> "refused " + a.refused());
            assertEquals(List.of("three"), refused);
            assertTrue(three.closed);
            done.get(0).run(); // client one ends
            assertEquals(1, a.clients());
            Conn broken = new Conn("cannot-start");
            incoming.add(broken);
            await(() -> broken.closed, () -> "the connection whose thread did not start is still open");
            assertEquals(1, a.clients(), "its slot was not given back");
            incoming.add(new Conn("four"));
            await(() -> a.clients() == 2, () -> "clients " + a.clients());
            assertEquals(1, a.refused());
        } finally {
            stop.set(true);
            incoming.add(new IOException("closing"));
            loop.join(Duration.ofSeconds(30));
        }
        assertTrue(!loop.isAlive(), "the loop did not end once closed");
    }

    private static void await(BooleanSupplier ok, Supplier<String> saw) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 30 s: " + saw.get());
            }
            Thread.sleep(10);
        }
    }
}
