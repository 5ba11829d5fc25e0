package org.pnnedge.runtime.mqtt;

// Over 400 lines: the file format, its bounds and the exact drop count share one directory scan.

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.zip.CRC32C;

import org.tinylog.Logger;

/**
 * Disk-backed, bounded FIFO of messages waiting for the broker.
 *
 * <p>One file per message, named by a 19-digit sequence number ({@code 0000000000000000042.msg}) so that
 * the directory listing is the queue order. A message is written to {@code <name>.tmp}, forced to disk,
 * renamed atomically, and the directory is forced: after {@link #add} returns, the message survives a crash
 * or power cut; a half-written {@code .tmp} is never mistaken for a message and is deleted on open.
 *
 * <p>File layout (big-endian): magic {@code "PNNO"}, version byte 1, QoS byte, retained byte, u16 topic
 * length, topic (UTF-8), u32 payload length, payload, CRC-32C of everything before it. A file that fails the
 * check is deleted and counted as dropped.
 *
 * <p>Bounds: at most {@code maxMessages} messages and {@code maxBytes} bytes of files. Adding to a full
 * outbox deletes the oldest messages until the new one fits; each deletion is counted. The count of drops
 * not yet reported is kept in the file {@code dropped} so it survives a restart too, and {@link #addReporting} puts it
 * into a message (the next telemetry message's {@code outbox_dropped}). A message that carries a count can itself be
 * dropped: its count then goes back to the unreported drops (plus one for the message), so the counts of the messages
 * that <em>arrive</em> always add up to exactly what was lost. The {@code dropped} file holds the unreported count on
 * its first line and one {@code seq count} line per queued message carrying a count.
 *
 * <p>Thread-safe (all methods synchronized; the I/O is small).
 */
final class Outbox implements AutoCloseable {
    /** One queued message. */
    record Message(long seq, String topic, int qos, boolean retained, byte[] payload) {
    }

    private static final int MAGIC = 0x504E4E4F; // "PNNO"
    private static final int VERSION = 1;
    private static final String SUFFIX = ".msg";
    private static final String DROPPED_FILE = "dropped";

    private final Path dir;
    private final int maxMessages;
    private final long maxBytes;
    /** seq → file size. */
    private final TreeMap<Long, Long> index = new TreeMap<>();
    private long bytes;
    private long nextSeq;
    private long unreportedDrops;
    private long droppedTotal;
    /** seq → the drop count that queued message reports. */
    private final TreeMap<Long, Long> carried = new TreeMap<>();
    private boolean closed;

    private Outbox(Path dir, int maxMessages, long maxBytes) {
        this.dir = dir;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens (creating when missing) the outbox in {@code dir} and indexes the messages already there.
     * Existing messages beyond a smaller bound are dropped oldest first.
     */
    static Outbox open(Path dir, int maxMessages, long maxBytes) throws IOException {
        if (maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("outbox bounds must be positive");
        }
        Files.createDirectories(dir);
        Outbox o = new Outbox(dir, maxMessages, maxBytes);
        o.load();
        return o;
    }

    private void load() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(p); // interrupted write: never acknowledged to the caller
                } else if (name.endsWith(SUFFIX)) {
                    try {
                        long seq = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                        long size = Files.size(p);
                        index.put(seq, size);
                        bytes += size;
                    } catch (NumberFormatException e) {
                        Logger.warn("outbox: ignoring unexpected file {}", p);
                    }
                }
            }
        }
        nextSeq = index.isEmpty() ? 1 : index.lastKey() + 1;
        Path df = dir.resolve(DROPPED_FILE);
        if (Files.exists(df)) {
            try {
                String[] lines = Files.readString(df).trim().split("\n");
                unreportedDrops = Math.max(0, Long.parseLong(lines[0].trim()));
                for (int i = 1; i < lines.length; i++) {
                    String[] f = lines[i].trim().split(" ");
                    long seq = Long.parseLong(f[0]);
                    long n = Long.parseLong(f[1]);
                    if (index.containsKey(seq) && n > 0) {
                        carried.put(seq, n);
                    }
                }
            } catch (RuntimeException | IOException e) {
                Logger.warn("outbox: unreadable drop counter {} ({}); starting from 0", df, e.toString());
            }
        }
        long before = droppedTotal;
        while (index.size() > maxMessages || bytes > maxBytes) {
            dropOldest();
        }
        if (droppedTotal > before) {
            saveDrops();
        }
        if (!index.isEmpty()) {
            Logger.info("outbox {}: {} message(s), {} bytes pending from a previous run", dir, index.size(), bytes);
        }
    }

    /**
     * Appends a message, dropping the oldest ones when the bounds require it.
     *
     * @return the message's sequence number, or -1 when the message alone exceeds the byte bound (it is
     *         counted as dropped)
     * @throws IOException when the message could not be written (disk full, read-only file system)
     */
    synchronized long add(String topic, int qos, boolean retained, byte[] payload) throws IOException {
        return append(topic, qos, retained, n -> payload, false);
    }

    /**
     * Appends a message that reports the drops not yet reported: {@code payload} makes its bytes from that count
     * (which includes the drops this very message causes). The count is handed back if the message is dropped.
     */
    synchronized long addReporting(String topic, int qos, boolean retained, LongFunction<byte[]> payload)
            throws IOException {
        return append(topic, qos, retained, payload, true);
    }

    private long append(String topic, int qos, boolean retained, LongFunction<byte[]> payload, boolean reports)
            throws IOException {
        ensureOpen();
        // room for the message with a count of up to 19 digits more than now
        int roomFor = encode(topic, qos, retained, payload.apply(unreportedDrops)).length + (reports ? 19 : 0);
        if (roomFor > maxBytes) {
            Logger.warn("outbox: a {}-byte message for {} exceeds the outbox bound of {} bytes; dropped",
                    roomFor, topic, maxBytes);
            countDrops(1);
            saveDrops();
            return -1;
        }
        int dropped = 0;
        while (!index.isEmpty() && (index.size() + 1 > maxMessages || bytes + roomFor > maxBytes)) {
            dropOldest();
            dropped++;
        }
        long reported = reports ? unreportedDrops : 0;
        byte[] file = encode(topic, qos, retained, payload.apply(reported));
        long seq = nextSeq++;
        Path target = dir.resolve(name(seq));
        Path tmp = dir.resolve(name(seq) + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(file);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDir();
        index.put(seq, (long) file.length);
        bytes += file.length;
        if (reported > 0) {
            unreportedDrops -= reported;
            carried.put(seq, reported);
        }
        if (dropped > 0 || reported > 0) {
            saveDrops();
        }
        return seq;
    }

    /**
     * The oldest messages in order, skipping the sequence numbers in {@code skip} (in flight), at most
     * {@code max}. Unreadable or corrupt files are deleted and counted as dropped.
     */
    synchronized List<Message> peek(int max, Collection<Long> skip) {
        List<Message> out = new ArrayList<>();
        if (closed) {
            return out;
        }
        List<Long> corrupt = new ArrayList<>();
        for (Map.Entry<Long, Long> e : index.entrySet()) {
            if (out.size() >= max) {
                break;
            }
            long seq = e.getKey();
            if (skip.contains(seq)) {
                continue;
            }
            try {
                out.add(decode(seq, Files.readAllBytes(dir.resolve(name(seq)))));
            } catch (NoSuchFileException ex) {
                Logger.warn("outbox: message file {} vanished", name(seq));
                corrupt.add(seq);
            } catch (IOException | RuntimeException ex) {
                Logger.warn("outbox: dropping unreadable message {}: {}", name(seq), ex.toString());
                corrupt.add(seq);
            }
        }
        for (long seq : corrupt) {
            lose(seq);
        }
        if (!corrupt.isEmpty()) {
            saveDrops();
        }
        return out;
    }

    /** Removes a delivered message; false when it was no longer there (dropped meanwhile). */
    synchronized boolean remove(long seq) {
        if (closed || !index.containsKey(seq)) {
            return false;
        }
        deleteQuietly(seq);
        if (carried.remove(seq) != null) {
            saveDrops(); // delivered: its count has been reported
        }
        return true;
    }

    /** Drops not yet reported in any queued or delivered message. */
    synchronized long unreportedDrops() {
        return unreportedDrops;
    }

    synchronized int size() {
        return index.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Messages dropped since this outbox was opened. */
    synchronized long droppedTotal() {
        return droppedTotal;
    }

    Path dir() {
        return dir;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("outbox " + dir + " is closed");
        }
    }

    private void dropOldest() {
        lose(index.firstKey());
    }

    /** Deletes a message undelivered: one more drop, and the count it carried is unreported again. */
    private void lose(long seq) {
        deleteQuietly(seq);
        Long c = carried.remove(seq);
        if (c != null) {
            unreportedDrops += c;
        }
        countDrops(1);
    }

    private void countDrops(long n) {
        unreportedDrops += n;
        droppedTotal += n;
    }

    private void deleteQuietly(long seq) {
        Long size = index.remove(seq);
        if (size != null) {
            bytes -= size;
        }
        try {
            Files.deleteIfExists(dir.resolve(name(seq)));
        } catch (IOException e) {
            Logger.warn("outbox: could not delete {}: {}", name(seq), e.toString());
        }
    }

    private void saveDrops() {
        Path df = dir.resolve(DROPPED_FILE);
        Path tmp = dir.resolve(DROPPED_FILE + ".tmp");
        try {
            StringBuilder b = new StringBuilder().append(unreportedDrops).append('\n');
            carried.forEach((seq, n) -> b.append(seq).append(' ').append(n).append('\n'));
            Files.writeString(tmp, b);
            Files.move(tmp, df, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Logger.warn("outbox: could not save the drop counter: {}", e.toString());
        }
    }

    private void forceDir() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be opened (or forced); the rename is still atomic.
        }
    }

    private static String name(long seq) {
        return String.format("%019d%s", seq, SUFFIX);
    }

    static byte[] encode(String topic, int qos, boolean retained, byte[] payload) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        if (t.length > 65535) {
            throw new IllegalArgumentException("topic too long");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS " + qos);
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream(payload.length + t.length + 20);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeByte(qos);
            out.writeByte(retained ? 1 : 0);
            out.writeShort(t.length);
            out.write(t);
            out.writeInt(payload.length);
            out.write(payload);
            CRC32C crc = new CRC32C();
            crc.update(bos.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException(e); // in-memory stream
        }
        return bos.toByteArray();
    }

    static Message decode(long seq, byte[] file) throws IOException {
        if (file.length < 4 + 3 + 2 + 4 + 4) {
            throw new IOException("truncated (" + file.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - 4);
        if ((int) crc.getValue() != b.getInt(file.length - 4)) {
            throw new IOException("CRC mismatch");
        }
        if (b.getInt() != MAGIC) {
            throw new IOException("bad magic");
        }
        int version = b.get();
        if (version != VERSION) {
            throw new IOException("unknown version " + version);
        }
        int qos = b.get();
        if (qos < 0 || qos > 2) { // Paho refuses it at publish: the message would block the outbox's head for ever
            throw new IOException("bad QoS " + qos);
        }
        boolean retained = b.get() != 0;
        int tl = Short.toUnsignedInt(b.getShort());
        if (tl > b.remaining() - 8) {
            throw new IOException("bad topic length " + tl);
        }
        byte[] t = new byte[tl];
        b.get(t);
        int pl = b.getInt();
        if (pl < 0 || pl != b.remaining() - 4) {
            throw new IOException("bad payload length " + pl);
        }
        byte[] payload = new byte[pl];
        b.get(payload);
        return new Message(seq, new String(t, StandardCharsets.UTF_8), qos, retained, payload);
    }
}
