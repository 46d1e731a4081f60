package org.modelmarket.artifact.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.scan.ScanResult.Verdict;

/** Safetensors header validation on well-formed and deliberately broken files built here byte by byte. */
class SafetensorsScanTest {

    private final ModelFileScanner scanner = new ModelFileScanner();

    @Test
    void wellFormedFilesAreSafe() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
                + "\"a\":{\"dtype\":\"BF16\",\"shape\":[3,4],\"data_offsets\":[0,24]},"
                + "\"empty\":{\"dtype\":\"I64\",\"shape\":[0,5],\"data_offsets\":[32,32]}}   ";
        assertThat(scan(file(header, 32))).isEqualTo(new ScanResult(Verdict.SAFE, java.util.List.of()));
        assertThat(scan(file("{}", 0)).verdict()).isEqualTo(Verdict.SAFE);
        assertThat(scan(file("{\"q\":{\"dtype\":\"F4\",\"shape\":[4],\"data_offsets\":[0,2]}}", 2))
                        .verdict())
                .isEqualTo(Verdict.SAFE);
    }

    @Test
    void headerLengthMustFitTheFileAndTheLimit() throws IOException {
        assertInvalid(new byte[] {1, 2, 3}, "has no 8-byte header length");
        assertInvalid(withLength(1_000, "{}".getBytes(StandardCharsets.UTF_8)), "runs past the end of the file");
        assertInvalid(withLength(200_000_000L, new byte[16]), "exceeds the limit of 100000000 bytes");
        assertInvalid(withLength(-1L, new byte[16]), "exceeds the limit");
    }

    @Test
    void headerMustBeOneJsonObjectOfTensors() throws IOException {
        assertInvalid(file("[1,2]", 0), "must start with '{'");
        assertInvalid(file("{\"a\":", 0), "not valid JSON");
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} {}", 4), "after its JSON");
        assertInvalid(
                file(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                        4),
                "Duplicate field 'a'");
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "lacks dtype, shape or data_offsets");
        assertInvalid(file("{\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "unknown dtype");
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "non-negative");
        assertInvalid(file("{\"__metadata__\":{\"n\":1}}", 0), "__metadata__ value of 'n' is not a string");
    }

    @Test
    void offsetsMustMatchShapesAndTileTheDataExactly() throws IOException {
        assertInvalid(
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
                "needs 8 bytes, but its data_offsets span 4");
        assertInvalid(
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 2),
                "beyond the data section of 2 bytes");
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4), "after end");
        assertInvalid(
                file(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                        8),
                "overlaps the previous tensor");
        assertInvalid(
                file(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
                        12),
                "gap of 4 bytes before tensor 'b'");
        assertInvalid(
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 10),
                "6 bytes are not part of any tensor");
        assertInvalid(
                file("{\"a\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8),
                "overflows");
        assertInvalid(file("{\"q\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", 2), "not a whole number");
    }

    private void assertInvalid(byte[] content, String reason) throws IOException {
        ScanResult result = scan(content);
        assertThat(result.verdict()).as(reason).isEqualTo(Verdict.INVALID);
        assertThat(result.findings()).singleElement().asString().contains(reason);
    }

    private ScanResult scan(byte[] content) throws IOException {
        SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel(content);
        channel.position(content.length); // the validator must seek by itself
        return scanner.scan("model-00001-of-00002.safetensors", channel, content.length);
    }

    /** A safetensors file: the header's length, the header, and {@code dataLength} bytes of tensor data. */
    private static byte[] file(String header, int dataLength) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(json.length + dataLength);
        buffer.put(json);
        return withLength(json.length, buffer.array());
    }

    private static byte[] withLength(long headerLength, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(headerLength)
                .put(rest)
                .array();
    }
}
