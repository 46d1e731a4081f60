package org.modelmarket.platform.problem;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.core.MultivaluedMap;

/**
 * What a request value must be, in the caller's words ({@code an integer}, {@code a date-time (RFC 3339)}), and which
 * query parameter of a resource method does not convert to its Java type.
 * <p>
 * Quarkus REST answers a path <em>or</em> query parameter it cannot convert with the same {@code NotFoundException}
 * (the conversion failure as its cause, no parameter name), so the mapper replays the conversion of the matched
 * method's query parameters by the JAX-RS rules (primitive, {@code valueOf}/{@code fromString}/{@code parse}, a
 * {@code String} constructor) to find the one at fault; a bad path parameter stays a 404.
 */
final class ParameterTypes {

    private ParameterTypes() {}

    /** A query parameter's value that is not of its type: the error to report and the value as sent. */
    record Unconvertible(Problem.FieldError error, String value) {}

    /** The first query parameter of {@code method} whose value in {@code query} is not of its type, if any. */
    static Optional<Unconvertible> firstUnconvertibleQueryParameter(
            Method method, MultivaluedMap<String, String> query) {
        if (method == null || query == null) {
            return Optional.empty();
        }
        for (Parameter parameter : method.getParameters()) {
            String name = QueryParameters.name(parameter);
            List<String> values = name == null ? null : query.get(name);
            if (values == null || values.isEmpty()) {
                continue; // absent: the default value applies
            }
            Class<?> type = valueType(parameter);
            for (String value : values) {
                if (!converts(type, value)) {
                    return Optional.of(
                            new Unconvertible(new Problem.FieldError(name, "must be " + describe(type, false)), value));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * What a value of {@code type} must be: {@code an integer}, {@code one of A, B}, {@code a UUID}. {@code json}
     * chooses the JSON spelling (enum constants by their JSON names, any other object {@code a JSON object}).
     */
    static String describe(Class<?> type, boolean json) {
        Class<?> boxed = boxed(type);
        if (boxed == String.class || boxed == Character.class) {
            return "a string";
        }
        if (boxed == Integer.class
                || boxed == Long.class
                || boxed == Short.class
                || boxed == Byte.class
                || boxed == BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(boxed) || boxed == BigDecimal.class) {
            return "a number";
        }
        if (boxed == Boolean.class) {
            return "true or false";
        }
        if (boxed.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : boxed.getEnumConstants()) {
                names.add(json ? ProblemMappers.wireName((Enum<?>) constant) : ((Enum<?>) constant).name());
            }
            return "one of " + String.join(", ", names);
        }
        if (boxed == UUID.class) {
            return "a UUID";
        }
        if (boxed == Instant.class || boxed == OffsetDateTime.class || boxed == ZonedDateTime.class) {
            return "a date-time (RFC 3339, e.g. 2026-12-01T00:00:00Z)";
        }
        if (boxed == LocalDate.class) {
            return "a date (YYYY-MM-DD)";
        }
        if (Collection.class.isAssignableFrom(boxed) || boxed.isArray()) {
            return "an array";
        }
        if (json || Map.class.isAssignableFrom(boxed)) {
            return "a JSON object";
        }
        return "a valid " + boxed.getSimpleName();
    }

    /** The parameter's type, or its element type for a List, Set or Optional of values. */
    private static Class<?> valueType(Parameter parameter) {
        Class<?> type = parameter.getType();
        if (type.isArray()) {
            return type.getComponentType();
        }
        if ((Collection.class.isAssignableFrom(type) || type == Optional.class)
                && parameter.getParameterizedType() instanceof ParameterizedType generic) {
            Type element = generic.getActualTypeArguments()[0];
            return element instanceof Class<?> elementClass ? elementClass : String.class;
        }
        return type;
    }

    /** Whether {@code value} converts to {@code type} by the JAX-RS rules; true when the rule is not known here. */
    private static boolean converts(Class<?> type, String value) {
        Class<?> boxed = boxed(type);
        if (boxed == String.class) {
            return true;
        }
        if (boxed == Character.class) {
            return value.length() == 1;
        }
        try {
            for (String factory : List.of("valueOf", "fromString")) {
                Method method = staticMethod(boxed, factory, String.class);
                if (method != null) {
                    method.invoke(null, value);
                    return true;
                }
            }
            Method parse = staticMethod(boxed, "parse", CharSequence.class);
            if (parse != null) {
                parse.invoke(null, value);
                return true;
            }
            Constructor<?> constructor = boxed.getConstructor(String.class);
            constructor.newInstance(value);
            return true;
        } catch (InvocationTargetException e) {
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    private static Method staticMethod(Class<?> type, String name, Class<?> argument) {
        try {
            Method method = type.getMethod(name, argument);
            return Modifier.isStatic(method.getModifiers()) ? method : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            case "char" -> Character.class;
            default -> type;
        };
    }
}
