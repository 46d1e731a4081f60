package org.modelmarket.artifact.blob.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The direct writer on the build's filesystem (where O_DIRECT works, it is used): whatever the starting offset and
 * the sizes of the writes, the file holds exactly the bytes written after what it held before the offset.
 */
class DirectFileWriterTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "0, 3000000, 65536", // aligned start, many whole chunks, a tail
        "0, 1048576, 1048576", // exactly one chunk
        "100000, 2500000, 100000", // unaligned start (a part appended after a part of 100,000 bytes)
        "4095, 5000, 7", // a head of one byte, tiny writes
        "12345, 100, 1000", // smaller than a block
        "0, 0, 1", // nothing
    })
    void theFileHoldsExactlyTheBytesWritten(long offset, int length, int writeSize) throws Exception {
        Path file = dir.resolve("f");
        byte[] before = bytes((int) offset, 1);
        Files.write(file, before);
        byte[] data = bytes(length, 2);

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
                DirectFileWriter out = DirectFileWriter.open(file, channel, offset)) {
            for (int at = 0; at < length; at += writeSize) {
                out.write(data, at, Math.min(writeSize, length - at));
            }
        }

        byte[] content = Files.readAllBytes(file);
        assertThat(content).hasSize((int) offset + length);
        assertThat(Arrays.copyOfRange(content, 0, (int) offset)).isEqualTo(before);
        assertThat(Arrays.copyOfRange(content, (int) offset, content.length)).isEqualTo(data);
    }

    @org.junit.jupiter.api.Test
    void withDirectWritesOffEverythingGoesThroughThePageCacheAlike() throws Exception {
        Path file = dir.resolve("buffered");
        Files.write(file, bytes(100, 1));
        byte[] data = bytes(2_000_000, 3);

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
                DirectFileWriter out = DirectFileWriter.open(file, channel, 100, false)) {
            out.write(data, 0, data.length);
        }

        byte[] content = Files.readAllBytes(file);
        assertThat(Arrays.copyOfRange(content, 100, content.length)).isEqualTo(data);
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
