package org.modelmarket.artifact.upload;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The wire form of a part's CRC32C: base64 of the 4 big-endian bytes, as S3's {@code x-amz-checksum-crc32c} (e.g.
 * {@code yZRlqg==} for {@code "hello world"}); stored and compared as 8 lowercase hex digits.
 */
public final class PartChecksums {

    private PartChecksums() {}

    /** The 8-hex form of a base64 CRC32C, or empty when it is not base64 of exactly 4 bytes. */
    public static Optional<String> crc32cHex(String base64) {
        if (base64 == null || base64.length() != 8) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            return bytes.length == 4 ? Optional.of(HexFormat.of().formatHex(bytes)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The base64 wire form of an 8-hex CRC32C; {@code null} stays {@code null}. */
    public static String base64(String hex) {
        return hex == null
                ? null
                : Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }
}
