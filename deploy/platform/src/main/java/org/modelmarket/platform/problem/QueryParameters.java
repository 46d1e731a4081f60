package org.modelmarket.platform.problem;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.QueryParam;

import org.jboss.resteasy.reactive.RestQuery;

/** The query parameters a resource method declares, by the names a request uses for them. */
public final class QueryParameters {

    private QueryParameters() {}

    /**
     * The query parameter's name, or {@code null} when {@code parameter} is not one: {@code @QueryParam}'s value, or
     * {@code @RestQuery}'s, which defaults to the Java parameter's name.
     */
    public static String name(Parameter parameter) {
        QueryParam query = parameter.getAnnotation(QueryParam.class);
        if (query != null) {
            return query.value();
        }
        RestQuery rest = parameter.getAnnotation(RestQuery.class);
        if (rest != null) {
            return rest.value().isEmpty() ? parameter.getName() : rest.value();
        }
        return null;
    }

    /** The names of the query parameters {@code method} declares, sorted. */
    public static Set<String> declared(Method method) {
        Set<String> names = new TreeSet<>();
        for (Parameter parameter : method.getParameters()) {
            String name = name(parameter);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }
}
