package org.modelmarket.gateway.grpc.client;

import java.io.IOException;
import java.text.ParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;

/**
 * Reads a service's JSON answer straight into a protobuf message while Jackson's streaming parser walks it (no tree
 * first), by the rules of protobuf's JSON mapping: lowerCamelCase or proto field names, unknown fields and nulls
 * ignored, 64-bit numbers as numbers or strings, RFC 3339 timestamps. One shape beyond protobuf's: a message field
 * given as a JSON array fills the message's only repeated field, because protobuf maps cannot hold lists
 * ({@code "facets": {"task": [...]}} is {@code map<string, FacetValues>}).
 *
 * <p>Why not {@code JsonFormat}: it cannot read that list shape and builds a Gson tree first. Why a table: each
 * message type's field names are looked up once (built on first use, kept per descriptor), not scanned per JSON field,
 * and a nested message's builder comes from its default instance, not from protobuf's reflective
 * {@code newBuilderForField}. Search's 8.5 KB answer with facets and highlights is the call this is for.
 */
public final class JsonMessages {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Map<Descriptor, Table> TABLES = new ConcurrentHashMap<>();

    private JsonMessages() {}

    /** Merges {@code json} (an object) into {@code builder} and returns the builder. */
    public static <B extends Message.Builder> B merge(String json, B builder) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            parser.nextToken();
            mergeMessage(parser, builder);
            return builder;
        } catch (IOException | IllegalArgumentException | ArithmeticException | ParseException e) {
            throw new DownstreamUnavailableException("a backing service answered JSON the gateway cannot read", e);
        }
    }

    /** Reads the value at the parser's current token (an object, or an array for the list shape) into the builder. */
    private static void mergeMessage(JsonParser parser, Message.Builder builder) throws IOException, ParseException {
        Table table = table(builder);
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_ARRAY) {
            // The list shape of a wrapper message (FacetValues, Fragments): its only repeated field.
            Field only = table.onlyRepeated();
            if (only == null) {
                throw new IllegalArgumentException(table.type().getFullName() + " is not a list");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                builder.addRepeatedField(only.descriptor, value(parser, only));
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
            if (field.descriptor.isMapField()) {
                expect(parser, JsonToken.START_OBJECT, field);
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    Message.Builder entry = field.prototype.newBuilderForType();
                    entry.setField(field.mapKey, parser.currentName());
                    parser.nextToken();
                    entry.setField(field.mapValue.descriptor, value(parser, field.mapValue));
                    builder.addRepeatedField(field.descriptor, entry.build());
                }
            } else if (field.descriptor.isRepeated()) {
                expect(parser, JsonToken.START_ARRAY, field);
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    builder.addRepeatedField(field.descriptor, value(parser, field));
                }
            } else {
                builder.setField(field.descriptor, value(parser, field));
            }
        }
    }

    private static void expect(JsonParser parser, JsonToken token, Field field) {
        if (parser.currentToken() != token) {
            throw new IllegalArgumentException(field.descriptor.getFullName() + ": expected " + token.asString()
                    + " but found " + parser.currentToken());
        }
    }

    /** The value at the parser's current token as {@code field}'s Java type (one element of a repeated field). */
    private static Object value(JsonParser parser, Field field) throws IOException, ParseException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            throw new IllegalArgumentException(field.descriptor.getFullName() + ": null element");
        }
        boolean text = token == JsonToken.VALUE_STRING;
        return switch (field.descriptor.getJavaType()) {
            case INT ->
                Math.toIntExact(
                        text
                                ? Long.parseLong(parser.getText())
                                : number(parser, field).getLongValue());
            case LONG ->
                text ? Long.parseLong(parser.getText()) : number(parser, field).getLongValue();
            case DOUBLE ->
                text
                        ? Double.parseDouble(parser.getText())
                        : number(parser, field).getDoubleValue();
            case FLOAT ->
                text
                        ? Float.parseFloat(parser.getText())
                        : number(parser, field).getFloatValue();
            case BOOLEAN -> text ? Boolean.parseBoolean(parser.getText()) : parser.getValueAsBoolean();
            case STRING -> scalar(parser, field).getText();
            case BYTE_STRING ->
                ByteString.copyFrom(
                        Base64.getDecoder().decode(scalar(parser, field).getText()));
            case ENUM -> enumValue(scalar(parser, field), field);
            case MESSAGE -> {
                if (field.timestamp) {
                    yield Timestamps.parse(scalar(parser, field).getText());
                }
                Message.Builder child = field.prototype.newBuilderForType();
                mergeMessage(parser, child);
                yield child.build();
            }
        };
    }

    private static JsonParser number(JsonParser parser, Field field) {
        if (!parser.currentToken().isNumeric()) {
            throw new IllegalArgumentException(field.descriptor.getFullName() + ": not a number");
        }
        return parser;
    }

    private static JsonParser scalar(JsonParser parser, Field field) {
        if (!parser.currentToken().isScalarValue()) {
            throw new IllegalArgumentException(field.descriptor.getFullName() + ": not a scalar value");
        }
        return parser;
    }

    private static EnumValueDescriptor enumValue(JsonParser parser, Field field) throws IOException {
        EnumValueDescriptor value = parser.currentToken().isNumeric()
                ? field.descriptor.getEnumType().findValueByNumber(parser.getIntValue())
                : field.descriptor.getEnumType().findValueByName(parser.getText());
        if (value == null) {
            throw new IllegalArgumentException(field.descriptor.getFullName() + ": no value " + parser.getText());
        }
        return value;
    }

    /** The message type's fields by JSON and proto name; built from a builder of that type the first time. */
    private static Table table(Message.Builder builder) {
        Descriptor type = builder.getDescriptorForType();
        Table table = TABLES.get(type);
        if (table == null) {
            table = Table.of(builder);
            TABLES.putIfAbsent(type, table);
        }
        return table;
    }

    private record Table(Descriptor type, Map<String, Field> fields, Field onlyRepeated) {

        static Table of(Message.Builder builder) {
            Descriptor type = builder.getDescriptorForType();
            Map<String, Field> fields = new HashMap<>();
            for (FieldDescriptor descriptor : type.getFields()) {
                Field field = Field.of(descriptor, builder);
                fields.put(descriptor.getName(), field);
                fields.put(descriptor.getJsonName(), field);
            }
            FieldDescriptor only =
                    type.getFields().size() == 1 && type.getFields().get(0).isRepeated()
                            ? type.getFields().get(0)
                            : null;
            return new Table(type, Map.copyOf(fields), only == null ? null : fields.get(only.getName()));
        }
    }

    /**
     * One field and what reading it needs: for a message (or map) field, the default instance its builders come
     * from; for a map field, its key and value fields.
     */
    private static final class Field {
        final FieldDescriptor descriptor;
        final boolean timestamp;
        final Message prototype;
        final FieldDescriptor mapKey;
        final Field mapValue;

        private Field(
                FieldDescriptor descriptor,
                boolean timestamp,
                Message prototype,
                FieldDescriptor mapKey,
                Field mapValue) {
            this.descriptor = descriptor;
            this.timestamp = timestamp;
            this.prototype = prototype;
            this.mapKey = mapKey;
            this.mapValue = mapValue;
        }

        static Field of(FieldDescriptor descriptor, Message.Builder parent) {
            if (descriptor.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                return new Field(descriptor, false, null, null, null);
            }
            Message.Builder child = parent.newBuilderForField(descriptor);
            Message prototype = child.getDefaultInstanceForType();
            if (descriptor.isMapField()) {
                Descriptor entry = descriptor.getMessageType();
                return new Field(
                        descriptor,
                        false,
                        prototype,
                        entry.findFieldByName("key"),
                        Field.of(entry.findFieldByName("value"), child));
            }
            boolean timestamp = descriptor.getMessageType().equals(Timestamp.getDescriptor());
            return new Field(descriptor, timestamp, prototype, null, null);
        }
    }
}
