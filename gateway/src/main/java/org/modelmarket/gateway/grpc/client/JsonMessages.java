package org.modelmarket.gateway.grpc.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.Timestamps;

/**
 * Reads a service's JSON answer into a protobuf message in one pass of Jackson's streaming parser (no tree first), by
 * the rules of protobuf's JSON mapping: lowerCamelCase or proto field names, unknown fields and nulls ignored, 64-bit
 * numbers as numbers or strings, RFC 3339 timestamps. One shape beyond protobuf's: a message field given as a JSON
 * array fills the message's only repeated field, because protobuf maps cannot hold lists
 * ({@code "facets": {"task": [...]}} is {@code map<string, FacetValues>}).
 *
 * <p>How, and why: the JSON is written as the message's protobuf encoding, which the generated code then parses
 * ({@code mergeFrom}). Setting the fields through protobuf's reflective {@code setField} instead cost most of the
 * mapping (an invoked accessor per value, map fields converted to lists and back). Each message type's field names
 * are looked up in a table built once per type, not scanned per JSON field. Search's 8.5 KB answer with facets and
 * highlights is the call this was written for; every gRPC call's answer is read with it ({@code JsonCalls}). Why not
 * {@code JsonFormat}: it cannot read the list shape, builds a Gson tree first and sets each field reflectively.
 */
public final class JsonMessages {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Map<Descriptor, Table> TABLES = new ConcurrentHashMap<>();

    private JsonMessages() {}

    /** Merges {@code json} (an object) into {@code builder} and returns the builder. */
    public static <B extends Message.Builder> B merge(String json, B builder) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return merge(parser, json.length(), builder);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /**
     * Merges {@code json} (an object, UTF-8 as the service sent it) into {@code builder} and returns the builder.
     * Read from the bytes, not from a decoded {@code String}: Jackson's byte parser decodes only the strings it
     * returns, where a {@code String} first would decode the whole answer once more.
     */
    public static <B extends Message.Builder> B merge(byte[] json, B builder) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return merge(parser, json.length, builder);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private static <B extends Message.Builder> B merge(JsonParser parser, int size, B builder) {
        try {
            Wire wire = new Wire(Math.max(64, size));
            parser.nextToken();
            writeMessage(parser, table(builder.getDescriptorForType()), wire);
            builder.mergeFrom(wire.bytes, 0, wire.length);
            return builder;
        } catch (IOException | IllegalArgumentException | ArithmeticException | ParseException e) {
            // InvalidProtocolBufferException (our own encoding unreadable) is an IOException: also not the caller's.
            throw unreadable(e);
        }
    }

    private static DownstreamUnavailableException unreadable(Exception e) {
        return new DownstreamUnavailableException("a backing service answered JSON the gateway cannot read", e);
    }

    /** Writes the fields of the value at the parser's current token (an object, or an array for the list shape). */
    private static void writeMessage(JsonParser parser, Table table, Wire wire) throws IOException, ParseException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_ARRAY) {
            // The list shape of a wrapper message (FacetValues, Fragments): its only repeated field.
            if (table.onlyRepeated() == null) {
                throw new IllegalArgumentException(table.type().getFullName() + " is not a list");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                writeValue(parser, table.onlyRepeated(), wire);
            }
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException(table.type().getFullName() + " must be an object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            Field field = table.fields().get(parser.currentName());
            JsonToken value = parser.nextToken();
            if (field == null || value == JsonToken.VALUE_NULL) {
                parser.skipChildren();
                continue;
            }
            if (field.map()) {
                expect(parser, JsonToken.START_OBJECT, field);
                Table entry = table(field.descriptor().getMessageType());
                Field key = entry.fields().get("key");
                Field mapValue = entry.fields().get("value");
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    int start = wire.startMessage(field.number());
                    writeScalar(key, parser.currentName(), wire);
                    parser.nextToken();
                    writeValue(parser, mapValue, wire);
                    wire.endMessage(start);
                }
            } else if (field.repeated()) {
                expect(parser, JsonToken.START_ARRAY, field);
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    writeValue(parser, field, wire);
                }
            } else {
                writeValue(parser, field, wire);
            }
        }
    }

    private static void expect(JsonParser parser, JsonToken token, Field field) {
        if (parser.currentToken() != token) {
            throw new IllegalArgumentException(
                    field.name() + ": expected " + token.asString() + " but found " + parser.currentToken());
        }
    }

    /** Writes the value at the parser's current token as {@code field} (one element of a repeated field). */
    private static void writeValue(JsonParser parser, Field field, Wire wire) throws IOException, ParseException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            throw new IllegalArgumentException(field.name() + ": null element");
        }
        if (field.timestamp()) {
            Timestamp time = timestamp(scalar(parser, field).getText());
            int start = wire.startMessage(field.number());
            wire.tag(1, WireFormat.WIRETYPE_VARINT).varint(time.getSeconds());
            wire.tag(2, WireFormat.WIRETYPE_VARINT).varint(time.getNanos());
            wire.endMessage(start);
            return;
        }
        if (field.type() == FieldDescriptor.Type.MESSAGE) {
            int start = wire.startMessage(field.number());
            writeMessage(parser, table(field.descriptor().getMessageType()), wire);
            wire.endMessage(start);
            return;
        }
        if (token == JsonToken.VALUE_STRING) {
            writeScalar(field, parser.getText(), wire);
            return;
        }
        int number = field.number();
        switch (field.type()) {
            case INT32, SINT32, SFIXED32, UINT32, FIXED32 ->
                writeInt(field, Math.toIntExact(number(parser, field).getLongValue()), wire);
            case INT64, SINT64, SFIXED64, UINT64, FIXED64 ->
                writeLong(field, number(parser, field).getLongValue(), wire);
            case DOUBLE ->
                wire.tag(number, WireFormat.WIRETYPE_FIXED64)
                        .fixed64(
                                Double.doubleToRawLongBits(number(parser, field).getDoubleValue()));
            case FLOAT ->
                wire.tag(number, WireFormat.WIRETYPE_FIXED32)
                        .fixed32(Float.floatToRawIntBits(number(parser, field).getFloatValue()));
            case BOOL -> wire.tag(number, WireFormat.WIRETYPE_VARINT).varint(parser.getValueAsBoolean() ? 1 : 0);
            // An open (proto3) enum keeps a number it does not name, as JsonFormat does.
            case ENUM ->
                wire.tag(number, WireFormat.WIRETYPE_VARINT)
                        .varint(number(parser, field).getIntValue());
            default -> writeScalar(field, scalar(parser, field).getText(), wire);
        }
    }

    /**
     * An RFC 3339 time. The form Jackson writes an {@code Instant} in ({@code 2026-11-22T10:00:00.123456Z}) is read
     * here, field by field; any other ({@code +01:00} offsets, a leap second, a value out of range) by
     * {@link Timestamps#parse}, which gives the same values (JsonMessagesTest) but costs several times more
     * ({@code SimpleDateFormat}: 15 % of the mapping with two times per search hit).
     */
    static Timestamp timestamp(String text) throws ParseException {
        int length = text.length();
        int fraction = length - 21;
        if (length >= 20
                && length <= 30
                && text.charAt(4) == '-'
                && text.charAt(7) == '-'
                && text.charAt(10) == 'T'
                && text.charAt(13) == ':'
                && text.charAt(16) == ':'
                && text.charAt(length - 1) == 'Z'
                && (length == 20 || (text.charAt(19) == '.' && fraction >= 1))) {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 2);
            int day = digits(text, 8, 2);
            int hour = digits(text, 11, 2);
            int minute = digits(text, 14, 2);
            int second = digits(text, 17, 2);
            int nanos = length == 20 ? 0 : digits(text, 20, fraction);
            if (year >= 1
                    && month >= 1
                    && month <= 12
                    && day >= 1
                    && day <= YearMonth.of(year, month).lengthOfMonth()
                    && hour >= 0
                    && hour < 24
                    && minute >= 0
                    && minute < 60
                    && second >= 0
                    && second < 60
                    && nanos >= 0) {
                for (int i = fraction; i < 9 && length > 20; i++) {
                    nanos *= 10;
                }
                long seconds =
                        LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
                return Timestamp.newBuilder()
                        .setSeconds(seconds)
                        .setNanos(nanos)
                        .build();
            }
        }
        return Timestamps.parse(text);
    }

    /** The decimal number of {@code count} digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Writes a scalar given as JSON text (a string, a map key, a number's digits) as {@code field}. */
    private static void writeScalar(Field field, String text, Wire wire) {
        int number = field.number();
        switch (field.type()) {
            case STRING ->
                wire.tag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED).bytes(text.getBytes(StandardCharsets.UTF_8));
            case BYTES ->
                wire.tag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED)
                        .bytes(Base64.getDecoder().decode(text));
            case INT32, SINT32, SFIXED32, UINT32, FIXED32 ->
                writeInt(field, Math.toIntExact(Long.parseLong(text)), wire);
            case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> writeLong(field, Long.parseLong(text), wire);
            case DOUBLE ->
                wire.tag(number, WireFormat.WIRETYPE_FIXED64)
                        .fixed64(Double.doubleToRawLongBits(Double.parseDouble(text)));
            case FLOAT ->
                wire.tag(number, WireFormat.WIRETYPE_FIXED32).fixed32(Float.floatToRawIntBits(Float.parseFloat(text)));
            case BOOL -> wire.tag(number, WireFormat.WIRETYPE_VARINT).varint(Boolean.parseBoolean(text) ? 1 : 0);
            case ENUM -> {
                // A name, or a number in a string; a name this proto does not know yet is left out, as JsonFormat's
                // parser ignoring unknown fields leaves it.
                EnumValueDescriptor value = field.descriptor().getEnumType().findValueByName(text);
                Integer known = value != null ? Integer.valueOf(value.getNumber()) : enumNumber(text);
                if (known != null) {
                    wire.tag(number, WireFormat.WIRETYPE_VARINT).varint(known);
                }
            }
            default -> throw new IllegalArgumentException(field.name() + ": a message, not a scalar");
        }
    }

    private static void writeInt(Field field, int value, Wire wire) {
        int number = field.number();
        switch (field.type()) {
            case SINT32 -> wire.tag(number, WireFormat.WIRETYPE_VARINT).varint((value << 1) ^ (value >> 31));
            case SFIXED32, FIXED32 ->
                wire.tag(number, WireFormat.WIRETYPE_FIXED32).fixed32(value);
            case UINT32 -> wire.tag(number, WireFormat.WIRETYPE_VARINT).varint(value & 0xFFFF_FFFFL);
            default -> wire.tag(number, WireFormat.WIRETYPE_VARINT).varint(value);
        }
    }

    private static void writeLong(Field field, long value, Wire wire) {
        int number = field.number();
        switch (field.type()) {
            case SINT64 -> wire.tag(number, WireFormat.WIRETYPE_VARINT).varint((value << 1) ^ (value >> 63));
            case SFIXED64, FIXED64 ->
                wire.tag(number, WireFormat.WIRETYPE_FIXED64).fixed64(value);
            default -> wire.tag(number, WireFormat.WIRETYPE_VARINT).varint(value);
        }
    }

    private static JsonParser number(JsonParser parser, Field field) {
        if (!parser.currentToken().isNumeric()) {
            throw new IllegalArgumentException(field.name() + ": not a number");
        }
        return parser;
    }

    private static JsonParser scalar(JsonParser parser, Field field) {
        if (!parser.currentToken().isScalarValue()) {
            throw new IllegalArgumentException(field.name() + ": not a scalar value");
        }
        return parser;
    }

    private static Integer enumNumber(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Table table(Descriptor type) {
        return TABLES.computeIfAbsent(type, Table::of);
    }

    /** A message type's fields by JSON and proto name, and the only repeated field of a wrapper (the list shape). */
    private record Table(Descriptor type, Map<String, Field> fields, Field onlyRepeated) {

        static Table of(Descriptor type) {
            Map<String, Field> fields = new HashMap<>();
            for (FieldDescriptor descriptor : type.getFields()) {
                Field field = new Field(descriptor);
                fields.put(descriptor.getName(), field);
                fields.put(descriptor.getJsonName(), field);
            }
            Field only = type.getFields().size() == 1 && type.getFields().get(0).isRepeated()
                    ? fields.get(type.getFields().get(0).getName())
                    : null;
            return new Table(type, Map.copyOf(fields), only);
        }
    }

    /**
     * A field with what writing it asks of its descriptor, read once ({@code FieldDescriptor.getType()} resolves
     * editions features on every call: 8 % of the mapping's samples).
     */
    private record Field(
            FieldDescriptor descriptor,
            FieldDescriptor.Type type,
            int number,
            boolean map,
            boolean repeated,
            boolean timestamp) {

        Field(FieldDescriptor descriptor) {
            this(
                    descriptor,
                    descriptor.getType(),
                    descriptor.getNumber(),
                    descriptor.isMapField(),
                    descriptor.isRepeated(),
                    descriptor.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                            && descriptor.getMessageType().equals(Timestamp.getDescriptor()));
        }

        String name() {
            return descriptor.getFullName();
        }
    }

    /**
     * The protobuf encoding being written. A nested message's length is known only after its fields, so five bytes
     * are kept for it and filled in as a varint padded to five bytes (continuation bits set), which protobuf's parsers
     * read like the shortest form; the message is parsed here and encoded again by gRPC, so the padding never leaves.
     */
    private static final class Wire {
        byte[] bytes;
        int length;

        Wire(int capacity) {
            bytes = new byte[capacity];
        }

        Wire tag(int number, int wireType) {
            return varint((number << 3) | wireType);
        }

        Wire varint(long value) {
            room(10);
            while ((value & ~0x7FL) != 0) {
                bytes[length++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[length++] = (byte) value;
            return this;
        }

        Wire fixed32(int value) {
            room(4);
            for (int i = 0; i < 4; i++) {
                bytes[length++] = (byte) (value >>> (8 * i));
            }
            return this;
        }

        Wire fixed64(long value) {
            room(8);
            for (int i = 0; i < 8; i++) {
                bytes[length++] = (byte) (value >>> (8 * i));
            }
            return this;
        }

        Wire bytes(byte[] value) {
            varint(value.length);
            room(value.length);
            System.arraycopy(value, 0, bytes, length, value.length);
            length += value.length;
            return this;
        }

        /** Writes the tag of a nested message and keeps room for its length; returns where the length goes. */
        int startMessage(int number) {
            tag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            room(5);
            length += 5;
            return length - 5;
        }

        void endMessage(int start) {
            int size = length - start - 5;
            for (int i = 0; i < 4; i++) {
                bytes[start + i] = (byte) (((size >>> (7 * i)) & 0x7F) | 0x80);
            }
            bytes[start + 4] = (byte) (size >>> 28);
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
