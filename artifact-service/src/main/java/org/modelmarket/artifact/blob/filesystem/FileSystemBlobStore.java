package org.modelmarket.artifact.blob.filesystem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.blob.BlobNotFoundException;
import org.modelmarket.artifact.blob.BlobStore;
import org.modelmarket.artifact.blob.BlobTooLargeException;
import org.modelmarket.artifact.blob.StoredBlob;
import org.modelmarket.artifact.config.ArtifactConfig;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Blob store on the local filesystem: {@code <root>/blobs/sha256/ab/cdef...} (the first two hex digits fan out
 * directories). Writes go to {@code <root>/tmp} first and are moved into place atomically once the digest is known,
 * so a reader never sees a partial blob and a crash leaves only temp files behind.
 */
@ApplicationScoped
public class FileSystemBlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(FileSystemBlobStore.class);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /**
     * Writes are gathered into slices of this size (one read of a request stream returns one small HTTP chunk; never a
     * humongous object: {@link DirectFileWriter#SLICE}).
     */
    private static final int BUFFER_SIZE = DirectFileWriter.SLICE;

    private final Path blobs;
    private final Path tmp;
    private final Vertx vertx;
    private final boolean directWrites;

    @Inject
    public FileSystemBlobStore(ArtifactConfig config, Vertx vertx) {
        this(config.blob().filesystem().root(), config.blob().filesystem().directWrites(), vertx);
    }

    /** A store under {@code root} (tests). */
    FileSystemBlobStore(Path configuredRoot, Vertx vertx) {
        this(configuredRoot, true, vertx);
    }

    private FileSystemBlobStore(Path configuredRoot, boolean directWrites, Vertx vertx) {
        this.directWrites = directWrites;
        Path root = configuredRoot.toAbsolutePath().normalize();
        this.blobs = root.resolve("blobs").resolve("sha256");
        this.tmp = root.resolve("tmp");
        this.vertx = vertx;
    }

    @Override
    public StoredBlob write(InputStream content, long maxBytes) throws IOException {
        Files.createDirectories(tmp);
        Path staging = Files.createTempFile(tmp, "upload-", ".part");
        try {
            MessageDigest digest = sha256();
            long size = 0;
            byte[] buffer = new byte[BUFFER_SIZE];
            // Past the page cache where the filesystem allows (DirectFileWriter): a blob is written once.
            try (FileChannel channel = FileChannel.open(staging, StandardOpenOption.WRITE);
                    DirectFileWriter out = DirectFileWriter.open(staging, channel, 0, directWrites)) {
                int read;
                while ((read = content.readNBytes(buffer, 0, buffer.length)) > 0) {
                    size += read;
                    if (size > maxBytes) {
                        throw new BlobTooLargeException(maxBytes);
                    }
                    digest.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            moveIntoPlace(staging, pathOf(sha256));
            return new StoredBlob(sha256, size);
        } finally {
            // After a successful move the staging file is gone; otherwise this removes the partial upload.
            Files.deleteIfExists(staging);
        }
    }

    /**
     * A single file on this filesystem is hard-linked into place: no byte is copied, and the link appears complete
     * (the caller never changes the file afterwards). Otherwise the files are concatenated into {@code tmp/} with
     * in-kernel copies ({@code FileChannel.transferTo}, which Linux runs as {@code copy_file_range}: no bytes pass
     * through the JVM, and filesystems with reflinks share the blocks instead of copying them) and the result is
     * moved into place. Nothing is read or hashed again: the caller computed the digest while it received the bytes.
     * Content the store holds already is not copied at all.
     */
    @Override
    public StoredBlob adopt(List<Path> files, String sha256, long size) throws IOException {
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("Not a sha256: " + sha256);
        }
        if (exists(sha256)) {
            return new StoredBlob(sha256, size);
        }
        if (files.size() == 1 && link(files.get(0), size, pathOf(sha256))) {
            return new StoredBlob(sha256, size);
        }
        Files.createDirectories(tmp);
        Path staging = Files.createTempFile(tmp, "assemble-", ".part");
        try {
            try (FileChannel out = FileChannel.open(staging, StandardOpenOption.WRITE)) {
                for (Path file : files) {
                    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                        long length = in.size();
                        long done = 0;
                        while (done < length) {
                            long copied = in.transferTo(done, length - done, out);
                            if (copied <= 0) {
                                throw new IOException(file + " shrank while it was copied");
                            }
                            done += copied;
                        }
                    }
                }
                if (out.size() != size) {
                    throw new IOException("The files hold " + out.size() + " bytes, not " + size);
                }
            }
            moveIntoPlace(staging, pathOf(sha256));
            return new StoredBlob(sha256, size);
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    /** Links {@code file} as {@code target}; false where links do not work (another filesystem): copy instead. */
    private static boolean link(Path file, long size, Path target) throws IOException {
        if (Files.size(file) != size) {
            throw new IOException("The file holds " + Files.size(file) + " bytes, not " + size);
        }
        Files.createDirectories(target.getParent());
        try {
            Files.createLink(target, file);
            return true;
        } catch (FileAlreadyExistsException e) {
            return true; // same digest, same bytes, stored meanwhile
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debugf(e, "Could not link %s into the blob store; copying it", file);
            return false;
        }
    }

    @Override
    public Uni<BlobLocation> locate(String sha256) {
        if (!SHA256_HEX.matcher(sha256).matches()) {
            return Uni.createFrom().failure(new BlobNotFoundException(sha256));
        }
        Path path = pathOf(sha256);
        return vertx.fileSystem()
                .props(path.toString())
                .onFailure()
                .transform(e -> new BlobNotFoundException(sha256))
                .map(props -> new BlobLocation.LocalFile(path, props.size()));
    }

    @Override
    public boolean exists(String sha256) {
        return SHA256_HEX.matcher(sha256).matches() && Files.isRegularFile(pathOf(sha256));
    }

    @Override
    public void delete(String sha256) throws IOException {
        if (SHA256_HEX.matcher(sha256).matches()) {
            Files.deleteIfExists(pathOf(sha256));
        }
    }

    @Override
    public InputStream open(String sha256, long offset) throws IOException {
        if (!exists(sha256)) {
            throw new BlobNotFoundException(sha256);
        }
        SeekableByteChannel channel = Files.newByteChannel(pathOf(sha256), StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    /** The content-addressed path of a blob. */
    Path pathOf(String sha256) {
        return blobs.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    private static void moveIntoPlace(Path staging, Path target) throws IOException {
        if (Files.exists(target)) {
            return; // same digest, same bytes: keep the existing blob, the staging copy is dropped
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            LOG.debugf("Blob %s appeared concurrently; keeping it", target.getFileName());
        } catch (AtomicMoveNotSupportedException e) {
            // tmp/ lives under the same root as blobs/, so this only happens on exotic filesystems.
            throw new IOException("The blob root must support atomic moves: " + target.getParent(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
