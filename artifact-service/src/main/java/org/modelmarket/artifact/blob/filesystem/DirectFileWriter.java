package org.modelmarket.artifact.blob.filesystem;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jboss.logging.Logger;

import com.sun.nio.file.ExtendedOpenOption;

/**
 * Writes a file sequentially from an offset, the aligned whole blocks with {@code O_DIRECT} (past the page cache),
 * the unaligned head and tail through the page cache. Uploads are written once and read rarely soon after, and
 * copying them into fresh page-cache pages is what their writing cost most: the benchmark's profile put a third of
 * the service's CPU in the kernel's copy into the page cache, and a 1 GiB {@code dd} here costs 2.4-3.4 s of system
 * time buffered against 0.3 s with {@code oflag=direct}. Where {@code O_DIRECT} is refused (tmpfs, some network
 * filesystems), everything goes through the page cache as before. Not thread-safe: one writer per request.
 */
public final class DirectFileWriter implements Closeable {

    private static final Logger LOG = Logger.getLogger(DirectFileWriter.class);
    /**
     * The size of the heap slices callers gather a request stream into before {@link #write}: large enough that a GiB
     * costs a few thousand writes and digest updates, and under half of G1's smallest region (1 MiB), so that a slice
     * is never a humongous object. A 1 MiB slice was one: each upload request then allocated straight into old
     * regions, and in two of three benchmark runs a collection it forced ("G1 Humongous Allocation") was where G1 grew
     * the heap from 54 to 217 MiB, whose new eden, first touched by the next upload, was the service's RSS growth.
     */
    public static final int SLICE = 256 * 1024;
    /** Bytes gathered before one direct write: a multiple of every block size in use. */
    private static final int CHUNK = 1024 * 1024;
    /** Aligned direct buffers of finished writers, reused (one per upload in flight at most). */
    private static final ConcurrentLinkedQueue<ByteBuffer> BUFFERS = new ConcurrentLinkedQueue<>();

    private final FileChannel buffered;
    /** Null when O_DIRECT is unavailable, or after the first direct write failed (then all goes buffered). */
    private FileChannel direct;

    private final int align;
    private final ByteBuffer block;
    private long position;

    private DirectFileWriter(FileChannel buffered, FileChannel direct, int align, long position) {
        this.buffered = buffered;
        this.direct = direct;
        this.align = align;
        this.block = direct == null ? null : buffer(align);
        this.position = position;
    }

    /**
     * A writer of {@code path} from {@code offset}, through {@code channel} (open for writing; the caller closes it)
     * for what cannot go direct.
     */
    public static DirectFileWriter open(Path path, FileChannel channel, long offset) {
        return open(path, channel, offset, true);
    }

    /** As {@link #open(Path, FileChannel, long)}; with {@code directWrites} false, everything goes buffered. */
    public static DirectFileWriter open(Path path, FileChannel channel, long offset, boolean directWrites) {
        FileChannel direct = null;
        int align = 0;
        if (!directWrites) {
            return new DirectFileWriter(channel, null, 0, offset);
        }
        try {
            align = (int) Files.getFileStore(path).getBlockSize();
            if (align > 0 && CHUNK % align == 0) {
                direct = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debugf(e, "No O_DIRECT for %s: writing through the page cache", path);
        }
        return new DirectFileWriter(channel, direct, align, offset);
    }

    /** Writes {@code length} bytes of {@code bytes} from {@code offset} at the file's next position. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (direct == null && block != null && block.position() > 0) {
            // Direct writes stopped with bytes gathered: they go first.
            block.flip();
            writeBuffered(block);
            block.clear();
        }
        if (direct == null) {
            writeBuffered(ByteBuffer.wrap(bytes, offset, length));
            return;
        }
        int off = offset;
        int left = length;
        // Up to the first block boundary through the page cache (only at the start of an unaligned append).
        if (block.position() == 0 && position % align != 0) {
            int head = (int) Math.min(left, align - position % align);
            writeBuffered(ByteBuffer.wrap(bytes, off, head));
            off += head;
            left -= head;
        }
        while (left > 0) {
            if (direct == null) {
                writeBuffered(ByteBuffer.wrap(bytes, off, left));
                return;
            }
            int n = Math.min(left, block.remaining());
            block.put(bytes, off, n);
            off += n;
            left -= n;
            if (!block.hasRemaining()) {
                flushDirect(block.position());
            }
        }
    }

    /** Writes what is gathered (its whole blocks direct, the rest through the page cache); the file stays open. */
    @Override
    public void close() throws IOException {
        try {
            if (block != null && block.position() > 0) {
                int gathered = block.position();
                int whole = gathered - gathered % align;
                if (direct != null && whole > 0) {
                    flushDirect(whole);
                }
                // The rest (the tail shorter than a block, or all of it once direct writes stopped) is now at the
                // buffer's start.
                block.flip();
                writeBuffered(block);
            }
        } finally {
            if (block != null) {
                block.clear();
                BUFFERS.offer(block);
            }
            if (direct != null) {
                direct.close();
            }
        }
    }

    /** Writes the first {@code length} (a multiple of the alignment) gathered bytes direct, keeps the rest. */
    private void flushDirect(int length) throws IOException {
        int gathered = block.position();
        block.position(0).limit(length);
        try {
            while (block.hasRemaining()) {
                position += direct.write(block, position);
            }
        } catch (IOException e) {
            // A filesystem that accepted O_DIRECT but refuses these writes (another alignment): the rest of this
            // file, and these bytes again from where the direct write stopped, go through the page cache.
            LOG.debugf(e, "A direct write failed; writing through the page cache");
            direct.close();
            direct = null;
            writeBuffered(block);
        }
        block.limit(gathered).position(length);
        block.compact();
    }

    private void writeBuffered(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            position += buffered.write(bytes, position);
        }
    }

    private static ByteBuffer buffer(int align) {
        ByteBuffer reused = BUFFERS.poll();
        if (reused != null && reused.capacity() == CHUNK && reused.alignmentOffset(0, align) == 0) {
            return reused;
        }
        return ByteBuffer.allocateDirect(CHUNK + align).alignedSlice(align).slice(0, CHUNK);
    }
}
