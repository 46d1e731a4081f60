package org.modelmarket.artifact.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.blob.BlobStore;

import io.quarkus.vertx.VertxContextSupport;

/**
 * Runs the {@link FileScanner} over a stored blob: a local file is read through a {@link FileChannel}; any other
 * store through {@link BlobStore#open}, reopened at each seek. A scanner failure is recorded as {@code NOT_SCANNED}
 * with the reason, never as safe.
 */
@ApplicationScoped
public class BlobScanner {

    private static final Logger LOG = Logger.getLogger(BlobScanner.class);

    private final FileScanner scanner;
    private final BlobStore blobs;

    public BlobScanner(FileScanner scanner, BlobStore blobs) {
        this.scanner = scanner;
        this.blobs = blobs;
    }

    /** Scans the blob {@code sha256} stored as {@code path}. Blocking. */
    public ScanResult scan(String path, String sha256, long size) {
        try {
            BlobLocation location = VertxContextSupport.subscribeAndAwait(() -> blobs.locate(sha256));
            try (SeekableByteChannel channel = location instanceof BlobLocation.LocalFile local
                    ? FileChannel.open(local.path(), StandardOpenOption.READ)
                    : new StreamChannel(blobs, sha256, size)) {
                return scanner.scan(path, channel, size);
            }
        } catch (Throwable e) {
            LOG.warnf(e, "Scanning %s (%s) failed; recorded as not scanned", path, sha256);
            return new ScanResult(ScanResult.Verdict.NOT_SCANNED, java.util.List.of("scan failed: " + e));
        }
    }

    /** A read-only seekable channel over {@link BlobStore#open}, reopened at the new offset after a seek. */
    static final class StreamChannel implements SeekableByteChannel {
        private final BlobStore blobs;
        private final String sha256;
        private final long size;
        private long position;
        private InputStream in;
        private boolean open = true;

        StreamChannel(BlobStore blobs, String sha256, long size) {
            this.blobs = blobs;
            this.sha256 = sha256;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (position >= size) {
                return -1;
            }
            if (in == null) {
                in = blobs.open(sha256, position);
            }
            byte[] buffer = new byte[Math.min(dst.remaining(), 64 * 1024)];
            int n = in.read(buffer);
            if (n > 0) {
                dst.put(buffer, 0, n);
                position += n;
            }
            return n;
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            if (newPosition != position && in != null) {
                in.close();
                in = null;
            }
            position = newPosition;
            return this;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public SeekableByteChannel truncate(long newSize) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            if (in != null) {
                in.close();
            }
        }
    }
}
