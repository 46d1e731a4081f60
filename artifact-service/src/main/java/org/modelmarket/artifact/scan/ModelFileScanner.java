package org.modelmarket.artifact.scan;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The security scan of model files: pickles (and zip archives of pickles, such as PyTorch checkpoints) are read opcode
 * by opcode, never executed, and every import outside {@link PickleGlobals}' allow-list makes the file unsafe;
 * safetensors headers are validated. The rules are in the service README ("Security scan").
 */
@ApplicationScoped
public class ModelFileScanner implements FileScanner {

    /** Extensions of files that are pickles, or zip archives of pickles, when their content says so. */
    private static final List<String> PICKLE_EXTENSIONS = List.of(".pkl", ".pickle", ".pt", ".pth", ".bin", ".ckpt");
    /** Extensions whose content must be a pickle (or a zip of pickles); anything else there is invalid. */
    private static final List<String> PLAIN_PICKLE_EXTENSIONS = List.of(".pkl", ".pickle");
    /** Consecutive pickles read from one file: PyTorch's legacy format writes five, then raw tensor bytes. */
    private static final int MAX_PICKLES_PER_FILE = 16;
    /** Entries a zip archive may have before it is refused (its central directory is read into memory). */
    private static final int MAX_ZIP_ENTRIES = 1_000_000;

    private static final int BUFFER_SIZE = 64 * 1024;

    @Override
    public ScanResult scan(String path, SeekableByteChannel content, long size) throws IOException {
        String name = path.toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            return SafetensorsValidator.validate(content, size);
        }
        if (PICKLE_EXTENSIONS.stream().noneMatch(name::endsWith)) {
            return ScanResult.notScanned();
        }
        byte[] head = head(content, 4);
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
            return scanZip(content);
        }
        boolean mustBePickle = (head.length >= 2 && (head[0] & 0xff) == 0x80 && (head[1] & 0xff) <= 5)
                || PLAIN_PICKLE_EXTENSIONS.stream().anyMatch(name::endsWith);
        content.position(0);
        InputStream in =
                new BufferedInputStream(new NonClosingInputStream(Channels.newInputStream(content)), BUFFER_SIZE);
        return verdict(readPickles(in, mustBePickle), mustBePickle, "neither a pickle nor a zip archive");
    }

    /** Every pickle in a zip archive (PyTorch: {@code <name>/data.pkl}; TorchScript also {@code constants.pkl}). */
    private ScanResult scanZip(SeekableByteChannel content) throws IOException {
        content.position(0);
        Findings findings = new Findings();
        int pickles = 0;
        try (ZipFile zip = ZipFile.builder()
                .setSeekableByteChannel(new NonClosingChannel(content))
                .setIgnoreLocalFileHeader(false)
                .get()) {
            int entries = 0;
            for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                if (++entries > MAX_ZIP_ENTRIES) {
                    return invalid("zip archive with more than " + MAX_ZIP_ENTRIES + " entries");
                }
                if (entry.isDirectory()
                        || !entry.getName().toLowerCase(Locale.ROOT).endsWith(".pkl")) {
                    continue;
                }
                pickles++;
                try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), BUFFER_SIZE)) {
                    Findings entryFindings = readPickles(in, true);
                    if (entryFindings.firstError != null) {
                        entryFindings.firstError = entry.getName() + ": " + entryFindings.firstError;
                    }
                    findings.add(entryFindings);
                }
            }
        } catch (IOException e) {
            if (!findings.unsafe.isEmpty()) {
                return new ScanResult(ScanResult.Verdict.UNSAFE, List.copyOf(findings.unsafe));
            }
            return invalid("not a readable zip archive: " + e.getMessage());
        }
        if (pickles == 0) {
            return new ScanResult(ScanResult.Verdict.NOT_SCANNED, List.of("zip archive without pickles"));
        }
        return verdict(findings, true, null);
    }

    private static ScanResult verdict(Findings findings, boolean mustBePickle, String notPickleReason) {
        if (!findings.unsafe.isEmpty()) {
            return new ScanResult(ScanResult.Verdict.UNSAFE, List.copyOf(findings.unsafe));
        }
        if (findings.firstError != null) {
            return mustBePickle
                    ? invalid(findings.firstError)
                    : new ScanResult(ScanResult.Verdict.NOT_SCANNED, List.of(notPickleReason));
        }
        return new ScanResult(ScanResult.Verdict.SAFE, List.of());
    }

    private static ScanResult invalid(String reason) {
        return new ScanResult(ScanResult.Verdict.INVALID, List.of(reason));
    }

    /**
     * Reads consecutive pickles: the first must be complete; after it, bytes that start another pickle are read as one
     * (PyTorch's legacy format), and bytes that do not form a complete pickle are trailing data, in which only denied
     * imports count (they would run before the unpickler failed). When the first pickle is not {@code required}
     * (a {@code .bin} of raw floats), a first pickle that does not parse is such trailing data too.
     */
    private static Findings readPickles(InputStream in, boolean required) throws IOException {
        Findings findings = new Findings();
        for (int index = 0; index < MAX_PICKLES_PER_FILE; index++) {
            if (index > 0) {
                in.mark(1);
                int next = in.read();
                if (next < 0) {
                    break;
                }
                in.reset();
            }
            PickleReader.Outcome outcome = PickleReader.read(in);
            boolean trailing = !outcome.complete() && (index > 0 || !required);
            for (PickleReader.Global global : outcome.globals()) {
                if (PickleGlobals.denied(global) || (!trailing && !PickleGlobals.allowed(global))) {
                    findings.unsafe.add(PickleGlobals.qualified(global));
                }
            }
            if (!trailing) {
                findings.unsafe.addAll(outcome.unresolved());
            }
            if (!outcome.complete()) {
                if (index == 0) {
                    findings.firstError = outcome.error();
                }
                break;
            }
        }
        return findings;
    }

    private static byte[] head(SeekableByteChannel content, int length) throws IOException {
        content.position(0);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && content.read(buffer) > 0) {
            // read until full or end of file
        }
        byte[] head = new byte[buffer.position()];
        buffer.flip().get(head);
        return head;
    }

    /** What the pickles of one file import outside the allow-list, and the first pickle's format error. */
    private static final class Findings {
        final Set<String> unsafe = new LinkedHashSet<>();
        String firstError;

        void add(Findings other) {
            unsafe.addAll(other.unsafe);
            if (firstError == null) {
                firstError = other.firstError;
            }
        }
    }

    /** The caller owns the channel: closing a stream over it must not close it. */
    private static final class NonClosingInputStream extends java.io.FilterInputStream {
        NonClosingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }

    /** The caller owns the channel: closing the zip file must not close it. */
    private record NonClosingChannel(SeekableByteChannel channel) implements SeekableByteChannel {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() {}
    }
}
