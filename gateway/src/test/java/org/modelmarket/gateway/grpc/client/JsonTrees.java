package org.modelmarket.gateway.grpc.client;

import java.text.ParseException;
import java.util.Base64;
import java.util.Map;

import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;

/**
 * The gateway's mapping of search-service's answer until {@link JsonMessages} replaced it, kept as the reference
 * {@code JsonMessagesTest} compares against. Reads a JSON tree that Jackson has already parsed into a protobuf message, by the message's descriptor and the
 * rules of protobuf's JSON mapping (lowerCamelCase or proto field names, unknown fields and nulls ignored, 64-bit
 * numbers as numbers or strings, RFC 3339 timestamps), so a service's answer is parsed once. One shape beyond
 * protobuf's: a message field given as a JSON array fills the message's only repeated field, because protobuf maps
 * cannot hold lists ({@code "facets": {"task": [...]}} is {@code map<string, FacetValues>}).
 */
public final class JsonTrees {

    private JsonTrees() {}

    /** Merges {@code json} (an object) into {@code builder} and returns the builder. */
    public static <B extends Message.Builder> B merge(JsonNode json, B builder) {
        try {
            mergeObject(json, builder);
            return builder;
        } catch (IllegalArgumentException | ArithmeticException | ParseException e) {
            throw new DownstreamUnavailableException("a backing service answered JSON the gateway cannot read", e);
        }
    }

    private static void mergeObject(JsonNode json, Message.Builder builder) throws ParseException {
        Descriptor type = builder.getDescriptorForType();
        if (json.isArray()) {
            // The list shape of a wrapper message (FacetValues, Fragments): its only repeated field.
            FieldDescriptor only =
                    type.getFields().size() == 1 && type.getFields().get(0).isRepeated()
                            ? type.getFields().get(0)
                            : null;
            if (only == null) {
                throw new IllegalArgumentException(type.getFullName() + " is not a list");
            }
            for (JsonNode element : json) {
                builder.addRepeatedField(only, value(element, only, builder));
            }
            return;
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException(type.getFullName() + " must be an object");
        }
        for (Map.Entry<String, JsonNode> entry : json.properties()) {
            FieldDescriptor field = field(type, entry.getKey());
            JsonNode value = entry.getValue();
            if (field == null || value.isNull()) {
                continue;
            }
            if (field.isMapField()) {
                FieldDescriptor key = field.getMessageType().findFieldByName("key");
                FieldDescriptor mapValue = field.getMessageType().findFieldByName("value");
                for (Map.Entry<String, JsonNode> item : value.properties()) {
                    Message.Builder mapEntry = builder.newBuilderForField(field);
                    mapEntry.setField(key, item.getKey());
                    mapEntry.setField(mapValue, value(item.getValue(), mapValue, mapEntry));
                    builder.addRepeatedField(field, mapEntry.build());
                }
            } else if (field.isRepeated()) {
                for (JsonNode element : value) {
                    builder.addRepeatedField(field, value(element, field, builder));
                }
            } else {
                builder.setField(field, value(value, field, builder));
            }
        }
    }

    private static FieldDescriptor field(Descriptor type, String name) {
        for (FieldDescriptor field : type.getFields()) {
            if (field.getJsonName().equals(name) || field.getName().equals(name)) {
                return field;
            }
        }
        return null;
    }

    private static Object value(JsonNode json, FieldDescriptor field, Message.Builder parent) throws ParseException {
        return switch (field.getJavaType()) {
            case INT -> Math.toIntExact(json.isTextual() ? Long.parseLong(json.asText()) : json.longValue());
            case LONG -> json.isTextual() ? Long.parseLong(json.asText()) : json.longValue();
            case DOUBLE -> json.isTextual() ? Double.parseDouble(json.asText()) : json.doubleValue();
            case FLOAT -> json.isTextual() ? Float.parseFloat(json.asText()) : json.floatValue();
            case BOOLEAN -> json.isTextual() ? Boolean.parseBoolean(json.asText()) : json.booleanValue();
            case STRING -> json.asText();
            case BYTE_STRING -> ByteString.copyFrom(Base64.getDecoder().decode(json.asText()));
            case ENUM -> enumValue(json, field);
            case MESSAGE -> {
                Message.Builder child = parent.newBuilderForField(field);
                if (child.getDescriptorForType().equals(Timestamp.getDescriptor())) {
                    yield Timestamps.parse(json.asText());
                }
                mergeObject(json, child);
                yield child.build();
            }
        };
    }

    private static EnumValueDescriptor enumValue(JsonNode json, FieldDescriptor field) {
        EnumValueDescriptor value = json.isNumber()
                ? field.getEnumType().findValueByNumber(json.intValue())
                : field.getEnumType().findValueByName(json.asText());
        if (value == null) {
            throw new IllegalArgumentException(field.getFullName() + ": no value " + json);
        }
        return value;
    }
}
