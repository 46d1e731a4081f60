package org.modelmarket.gateway.hub.write;

/**
 * What a self-authorizing LFS upload URL allows: sending the object {@code oid} of {@code size} bytes into
 * artifact-service's multipart upload {@code upload} of listing {@code ns/name}, in one PUT ({@code chunk} 0) or in
 * parts of {@code chunk} bytes, on behalf of the caller whose {@code authorization} minted it, until {@code expires}
 * (epoch seconds). It travels sealed (encrypted and authenticated) inside the URL, so the clients' PUTs need no
 * {@code Authorization} header (HF-PROTOCOL §3.4).
 */
public record UploadGrant(
        String ns, String name, String upload, String oid, long size, long chunk, String authorization, long expires) {

    /** The number of parts of a multipart transfer (1 for a single PUT). */
    public int parts() {
        return chunk == 0 ? 1 : (int) Math.max(1, (size + chunk - 1) / chunk);
    }

    /** The size of part {@code n} (1-based). */
    public long partSize(int n) {
        if (chunk == 0) {
            return size;
        }
        return Math.min(chunk, size - (n - 1) * chunk);
    }
}
