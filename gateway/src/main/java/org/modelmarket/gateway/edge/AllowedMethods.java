package org.modelmarket.gateway.edge;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.gateway.route.RouteTable;
import org.modelmarket.gateway.route.rest.RouteResource;
import org.modelmarket.platform.problem.ProblemMappers;
import org.modelmarket.platform.problem.StandardProblem;

import io.vertx.core.http.HttpServerRequest;

/**
 * Puts {@code Allow} on every 405 (RFC 9110 requires it): Quarkus REST answers a known path with an unknown method by
 * a bare 405, so the methods of the gateway's own resources are read from their JAX-RS annotations once, and matched
 * against the request's path here, together with the pass-through routes of {@link RouteTable} (whose wrong methods
 * {@link RouteResource} refuses).
 */
@Singleton
public class AllowedMethods {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\s*\\w+\\s*(?::\\s*((?:[^{}]|\\{[^{}]*})+))?}");

    private record Operation(Pattern path, String method) {}

    private final List<Operation> operations = new ArrayList<>();

    AllowedMethods(BeanManager beans) {
        for (var bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path root = type.getAnnotation(Path.class);
            // RouteResource is the catch-all of /api/v1 and lists its methods from the route table.
            if (root == null || type == RouteResource.class) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = httpMethod(method);
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    operations.add(new Operation(pattern(join(root.value(), sub == null ? "" : sub.value())), verb));
                }
            }
        }
    }

    /** The methods the gateway's own resources serve on {@code path} (HEAD with GET, OPTIONS always). */
    public Set<String> allowed(String path) {
        Set<String> allowed = new TreeSet<>();
        for (Operation operation : operations) {
            if (operation.path().matcher(path).matches()) {
                allowed.add(operation.method());
            }
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        return allowed;
    }

    /** A 405 problem with {@code Allow}, whichever part of the gateway refused the method. */
    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response notAllowed(NotAllowedException e, UriInfo uri, HttpServerRequest request) {
        Set<String> allowed = allowed(request.path());
        if (RouteTable.lookup(request.method().name(), request.path())
                instanceof RouteTable.Lookup.WrongMethod routed) {
            allowed.addAll(routed.allowed());
        }
        Response problem = ProblemMappers.problem(
                StandardProblem.forStatus(405),
                "This resource does not allow " + request.method().name() + ".",
                uri,
                null);
        return Response.fromResponse(problem)
                .header(HttpHeaders.ALLOW, String.join(", ", allowed))
                .build();
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** A JAX-RS path template as a pattern: {@code {name}} is one segment, {@code {name: regex}} its regex. */
    static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher matcher = VARIABLE.matcher(template);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(last, matcher.start())))
                    .append('(')
                    .append(
                            matcher.group(1) == null
                                    ? "[^/]+"
                                    : matcher.group(1).strip())
                    .append(')');
            last = matcher.end();
        }
        return Pattern.compile(
                regex.append(Pattern.quote(template.substring(last))).toString());
    }
}
