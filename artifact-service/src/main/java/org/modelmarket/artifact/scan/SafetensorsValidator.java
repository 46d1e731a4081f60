package org.modelmarket.artifact.scan;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * Validates a safetensors file's header without reading the tensors: the 8-byte little-endian header length, the JSON
 * header (read as a stream, so its size bounds time, not memory), each tensor's dtype, shape and data offsets, and that
 * the tensors tile the data section exactly (no overlap, no gap, nothing after the last one).
 */
final class SafetensorsValidator {

    /** The reference implementation's limit on the header length. */
    static final long MAX_HEADER_LENGTH = 100_000_000L;
    /** A header with more tensors than this is refused (bounds the memory of the offset check). */
    static final int MAX_TENSORS = 1_000_000;

    /** Bits per element of every safetensors dtype. */
    private static final Map<String, Integer> DTYPE_BITS = Map.ofEntries(
            Map.entry("BOOL", 8),
            Map.entry("U8", 8),
            Map.entry("I8", 8),
            Map.entry("F8_E5M2", 8),
            Map.entry("F8_E4M3", 8),
            Map.entry("F8_E8M0", 8),
            Map.entry("F4", 4),
            Map.entry("F6_E2M3", 6),
            Map.entry("F6_E3M2", 6),
            Map.entry("I16", 16),
            Map.entry("U16", 16),
            Map.entry("F16", 16),
            Map.entry("BF16", 16),
            Map.entry("I32", 32),
            Map.entry("U32", 32),
            Map.entry("F32", 32),
            Map.entry("C64", 64),
            Map.entry("F64", 64),
            Map.entry("I64", 64),
            Map.entry("U64", 64));

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private SafetensorsValidator() {}

    private record Tensor(String name, long begin, long end) {}

    /** Thrown for the first problem found; its message is the reason reported. */
    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static ScanResult validate(SeekableByteChannel content, long size) throws IOException {
        try {
            check(content, size);
            return new ScanResult(ScanResult.Verdict.SAFE, List.of());
        } catch (Invalid e) {
            return new ScanResult(ScanResult.Verdict.INVALID, List.of(e.getMessage()));
        }
    }

    private static void check(SeekableByteChannel content, long size) throws IOException, Invalid {
        if (size < 8) {
            throw new Invalid("safetensors file of " + size + " bytes has no 8-byte header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        content.position(0);
        while (prefix.hasRemaining()) {
            if (content.read(prefix) < 0) {
                throw new Invalid("safetensors file ends inside its header length");
            }
        }
        long headerLength = prefix.flip().getLong(); // unsigned: a negative value is beyond any limit
        if (headerLength < 0 || headerLength > MAX_HEADER_LENGTH) {
            throw new Invalid("header length " + Long.toUnsignedString(headerLength) + " exceeds the limit of "
                    + MAX_HEADER_LENGTH + " bytes");
        }
        if (headerLength > size - 8) {
            throw new Invalid("header length " + headerLength + " runs past the end of the file (" + size + " bytes)");
        }
        long dataLength = size - 8 - headerLength;
        List<Tensor> tensors = readHeader(content, headerLength, dataLength);
        tensors.sort(Comparator.comparingLong(Tensor::begin).thenComparingLong(Tensor::end));
        long cursor = 0;
        for (Tensor tensor : tensors) {
            if (tensor.begin() < cursor) {
                throw new Invalid("tensor '" + tensor.name() + "' overlaps the previous tensor (begins at "
                        + tensor.begin() + ", previous ends at " + cursor + ")");
            }
            if (tensor.begin() > cursor) {
                throw new Invalid("gap of " + (tensor.begin() - cursor) + " bytes before tensor '" + tensor.name()
                        + "' (begins at " + tensor.begin() + ", previous ends at " + cursor + ")");
            }
            cursor = tensor.end();
        }
        if (cursor != dataLength) {
            throw new Invalid("the tensors cover " + cursor + " bytes of the " + dataLength + "-byte data section: "
                    + (dataLength - cursor) + " bytes are not part of any tensor");
        }
    }

    private static List<Tensor> readHeader(SeekableByteChannel content, long headerLength, long dataLength)
            throws IOException, Invalid {
        content.position(8);
        InputStream header = new BufferedInputStream(
                new BoundedInputStream(Channels.newInputStream(content), headerLength), 64 * 1024);
        header.mark(1);
        if (header.read() != '{') {
            throw new Invalid("header is not a JSON object (it must start with '{')");
        }
        header.reset();
        List<Tensor> tensors = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(header)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, "the header");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (name.equals("__metadata__")) {
                    readMetadata(parser);
                } else {
                    if (tensors.size() >= MAX_TENSORS) {
                        throw new Invalid("more than " + MAX_TENSORS + " tensors in the header");
                    }
                    tensors.add(readTensor(parser, name, dataLength));
                }
            }
            expect(parser.currentToken(), JsonToken.END_OBJECT, "the header");
            if (parser.nextToken() != null) {
                throw new Invalid("header has content after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new Invalid("header is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.EOFException e) {
            throw new Invalid("header is not valid JSON: it ends early");
        }
        return tensors;
    }

    private static void readMetadata(JsonParser parser) throws IOException, Invalid {
        expect(parser.nextToken(), JsonToken.START_OBJECT, "__metadata__");
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw new Invalid("__metadata__ value of '" + shorten(key) + "' is not a string");
            }
        }
    }

    private static Tensor readTensor(JsonParser parser, String name, long dataLength) throws IOException, Invalid {
        String label = shorten(name);
        expect(parser.nextToken(), JsonToken.START_OBJECT, "tensor '" + label + "'");
        String dtype = null;
        List<Long> shape = null;
        List<Long> offsets = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new Invalid("tensor '" + label + "' has a dtype that is not a string");
                    }
                    dtype = parser.getText();
                }
                case "shape" -> shape = readNumbers(parser, value, "tensor '" + label + "' shape");
                case "data_offsets" -> offsets = readNumbers(parser, value, "tensor '" + label + "' data_offsets");
                default -> parser.skipChildren(); // unknown fields carry no offsets; the reference reader ignores them
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw new Invalid("tensor '" + label + "' lacks dtype, shape or data_offsets");
        }
        Integer bits = DTYPE_BITS.get(dtype);
        if (bits == null) {
            throw new Invalid("tensor '" + label + "' has the unknown dtype '" + shorten(dtype) + "'");
        }
        if (offsets.size() != 2) {
            throw new Invalid("tensor '" + label + "' data_offsets must be [begin, end]");
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (begin > end) {
            throw new Invalid("tensor '" + label + "' data_offsets begin " + begin + " after end " + end);
        }
        if (end > dataLength) {
            throw new Invalid("tensor '" + label + "' data_offsets end " + end + " beyond the data section of "
                    + dataLength + " bytes");
        }
        long expected;
        try {
            long elements = 1;
            for (long dimension : shape) {
                elements = Math.multiplyExact(elements, dimension);
            }
            long totalBits = Math.multiplyExact(elements, (long) bits);
            if (totalBits % 8 != 0) {
                throw new Invalid("tensor '" + label + "' of " + elements + " " + dtype + " elements is not a whole"
                        + " number of bytes");
            }
            expected = totalBits / 8;
        } catch (ArithmeticException e) {
            throw new Invalid("tensor '" + label + "' shape " + shape + " overflows");
        }
        if (end - begin != expected) {
            throw new Invalid("tensor '" + label + "' of dtype " + dtype + " and shape " + shape + " needs " + expected
                    + " bytes, but its data_offsets span " + (end - begin));
        }
        return new Tensor(label, begin, end);
    }

    private static List<Long> readNumbers(JsonParser parser, JsonToken start, String what) throws IOException, Invalid {
        expect(start, JsonToken.START_ARRAY, what);
        List<Long> numbers = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT
                    || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || parser.getLongValue() < 0) {
                throw new Invalid(what + " must hold non-negative integers");
            }
            if (numbers.size() >= 64) {
                throw new Invalid(what + " has more than 64 entries");
            }
            numbers.add(parser.getLongValue());
        }
        return numbers;
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) throws Invalid {
        if (actual != expected) {
            throw new Invalid(what + " must be a JSON " + (expected == JsonToken.START_ARRAY ? "array" : "object"));
        }
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** Reads at most {@code limit} bytes of the underlying stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }

        @Override
        public void close() {
            // The channel belongs to the caller.
        }
    }
}
