package org.modelmarket.artifact.file.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.file.rest.ByteRange.Parsed;

/** Reading Range headers (RFC 9110 14.1.1, 14.2) and the length of a multipart/byteranges body. */
class ByteRangeTest {

    private static final long SIZE = 1000;

    @Test
    void singleRanges() {
        assertThat(ByteRange.parse(null, SIZE)).isEqualTo(new Parsed.Whole());
        assertThat(ByteRange.parse("bytes=0-0", SIZE)).isEqualTo(partial(0, 0));
        assertThat(ByteRange.parse("bytes=-1", SIZE)).isEqualTo(partial(999, 999));
        assertThat(ByteRange.parse("bytes=990-", SIZE)).isEqualTo(partial(990, 999));
        assertThat(ByteRange.parse("bytes=990-5000", SIZE)).isEqualTo(partial(990, 999));
        assertThat(ByteRange.parse("BYTES=1-2", SIZE))
                .as("the unit is case-insensitive")
                .isEqualTo(partial(1, 2));
        assertThat(ByteRange.parse("bytes=1000-", SIZE)).isEqualTo(new Parsed.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=-0", SIZE)).isEqualTo(new Parsed.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=0-0", 0)).isEqualTo(new Parsed.Unsatisfiable());
    }

    @Test
    void severalRangesKeepTheirOrderAndOverlapsMerge() {
        assertThat(ByteRange.parse("bytes=20-29,0-9", SIZE))
                .isEqualTo(new Parsed.Multiple(List.of(new ByteRange(20, 29), new ByteRange(0, 9))));
        // 5-14 joins 0-9 where 0-9 stood; then 8-25 bridges that and 20-29 into one range, in the first one's place.
        assertThat(ByteRange.parse("bytes=0-9,20-29,5-14,100-101,8-25", SIZE))
                .isEqualTo(new Parsed.Multiple(List.of(new ByteRange(0, 29), new ByteRange(100, 101))));
        assertThat(ByteRange.parse("bytes=0-9,0-9", SIZE)).isEqualTo(partial(0, 9));
        // Adjacent ranges are not overlapping: both stay.
        assertThat(ByteRange.parse("bytes=0-9,10-19", SIZE))
                .isEqualTo(new Parsed.Multiple(List.of(new ByteRange(0, 9), new ByteRange(10, 19))));
        assertThat(ByteRange.parse("bytes=5000-6000,-0", SIZE)).isEqualTo(new Parsed.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=5000-6000,1-1", SIZE)).isEqualTo(partial(1, 1));
    }

    @Test
    void headersTheServerIgnores() {
        for (String ignored : new String[] {
            "items=0-1",
            "bytes=",
            "bytes=,",
            "bytes=5-2",
            "bytes=0-1,5-2",
            "bytes=a-b",
            "bytes 0-1",
            "bytes=-",
            "bytes=99999999999999999999-",
            "bytes=0-1;2-3"
        }) {
            assertThat(ByteRange.parse(ignored, SIZE)).as(ignored).isEqualTo(new Parsed.Whole());
        }
        StringBuilder many = new StringBuilder("bytes=0-0");
        for (int i = 1; i < ByteRange.MAX_RANGES; i++) {
            many.append(',').append(i * 2).append('-').append(i * 2);
        }
        assertThat(ByteRange.parse(many.toString(), SIZE)).isInstanceOf(Parsed.Multiple.class);
        assertThat(ByteRange.parse(many + ",500-500", SIZE)).isEqualTo(new Parsed.Whole());
    }

    @Test
    void multipartLengthIsTheLengthOfWhatIsWritten() {
        ByteRangesBody body =
                ByteRangesBody.of(Path.of("unused"), SIZE, List.of(new ByteRange(0, 9), new ByteRange(990, 999)));
        String head0 = "--" + body.boundary() + "\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Range: bytes 0-9/1000\r\n\r\n";
        String head1 = "\r\n--" + body.boundary() + "\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Range: bytes 990-999/1000\r\n\r\n";
        String close = "\r\n--" + body.boundary() + "--\r\n";
        assertThat(new String(body.partHeader(0), StandardCharsets.US_ASCII)).isEqualTo(head0);
        assertThat(new String(body.partHeader(1), StandardCharsets.US_ASCII)).isEqualTo(head1);
        assertThat(new String(body.closing(), StandardCharsets.US_ASCII)).isEqualTo(close);
        assertThat(body.contentLength()).isEqualTo(head0.length() + 10 + head1.length() + 10 + close.length());
        assertThat(body.contentType()).isEqualTo("multipart/byteranges; boundary=" + body.boundary());
        assertThat(body.boundary()).matches("[0-9a-f]{32}");
    }

    private static Parsed partial(long first, long last) {
        return new Parsed.Partial(new ByteRange(first, last));
    }
}
