package org.modelmarket.artifact.scan;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * Port to the security scan of an uploaded file (pickle opcodes, safetensors headers), run once its sha256 is verified
 * and before it becomes visible. Blocking: called from a worker or virtual thread.
 */
public interface FileScanner {

    /**
     * Scans one file without executing anything in it.
     *
     * @param path the file's path in the listing (its extension says which format to expect)
     * @param content the file's bytes, positioned anywhere; the scanner seeks as it needs
     * @param size the file's size in bytes
     */
    ScanResult scan(String path, SeekableByteChannel content, long size) throws IOException;
}
