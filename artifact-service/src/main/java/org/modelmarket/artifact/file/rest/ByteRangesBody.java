package org.modelmarket.artifact.file.rest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The body of a {@code 206 multipart/byteranges} answer (RFC 9110 14.6): several ranges of one file, each a part
 * with its own {@code Content-Type} and {@code Content-Range}, separated by a boundary. Written by
 * {@link ByteRangesWriter}; its exact length is known beforehand, so the answer carries a {@code Content-Length}.
 */
public record ByteRangesBody(Path file, long size, List<ByteRange> ranges, String boundary) {

    /** The type of each part: the type the whole file is served with. */
    static final String PART_TYPE = "application/octet-stream";

    /** A body with a fresh random boundary (it cannot be predicted, so content cannot be crafted to contain it). */
    public static ByteRangesBody of(Path file, long size, List<ByteRange> ranges) {
        return new ByteRangesBody(
                file, size, List.copyOf(ranges), UUID.randomUUID().toString().replace("-", ""));
    }

    /** The answer's {@code Content-Type}. */
    public String contentType() {
        return "multipart/byteranges; boundary=" + boundary;
    }

    /** What precedes part {@code index}'s bytes: the delimiter (after the previous part's bytes) and its headers. */
    byte[] partHeader(int index) {
        ByteRange range = ranges.get(index);
        return ((index == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                        + "Content-Type: " + PART_TYPE + "\r\n"
                        + "Content-Range: " + range.contentRange(size) + "\r\n"
                        + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The close delimiter after the last part's bytes. */
    byte[] closing() {
        return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The exact number of bytes of the body. */
    public long contentLength() {
        long length = closing().length;
        for (int i = 0; i < ranges.size(); i++) {
            length += partHeader(i).length + ranges.get(i).length();
        }
        return length;
    }
}
