package org.modelmarket.gateway.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One public endpoint the gateway forwards unchanged to the service that owns it: same method, same path, same query.
 *
 * @param method   the HTTP method
 * @param template the path template, e.g. {@code /api/v1/vendors/{namespace}}; each variable is one path segment,
 *                 except a final {@code {rest}} or {@code {path}}, which is one or more segments (a file path, an endpoint family of
 *                 another service routed by its prefix)
 * @param service  the owning service's configuration key ({@code catalog}, {@code search})
 * @param access   who may call it at the edge; the service still decides roles and membership
 * @param tag      the OpenAPI tag
 * @param summary  the OpenAPI summary
 */
public record Route(String method, String template, String service, Access access, String tag, String summary) {

    /** Who may reach the service through this route. */
    public enum Access {
        /** Anyone, with or without a token (a token that is sent must be valid). */
        ANYONE,
        /** Callers with a valid token only; anonymous callers get 401 at the edge. */
        AUTHENTICATED
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z]+)}");

    /** One path segment as it may appear on the wire: no empty segments, no slashes. */
    private static final String SEGMENT = "([^/]+)";

    /** Names of a tail variable: one or more segments, each checked like a single one. */
    static final java.util.Set<String> TAILS = java.util.Set.of("rest", "path");

    private static final String SEGMENTS = "([^/]+(?:/[^/]+)*)";

    public Route {
        if (!"GET".equals(method) && access != Access.AUTHENTICATED) {
            throw new IllegalArgumentException("writes need a token: " + method + " " + template);
        }
    }

    /** The template's variable names, in order. */
    public List<String> variables() {
        List<String> names = new ArrayList<>();
        Matcher matcher = VARIABLE.matcher(template);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The template as a pattern over raw paths, one group per variable. */
    Pattern pattern() {
        StringBuilder regex = new StringBuilder();
        int last = 0;
        Matcher matcher = VARIABLE.matcher(template);
        while (matcher.find()) {
            boolean tail = TAILS.contains(matcher.group(1)) && matcher.end() == template.length();
            regex.append(Pattern.quote(template.substring(last, matcher.start())))
                    .append(tail ? SEGMENTS : SEGMENT);
            last = matcher.end();
        }
        return Pattern.compile(
                regex.append(Pattern.quote(template.substring(last))).toString());
    }

    /** Whether {@code rawPath} (as received, still percent-encoded) is an instance of {@code pattern}. */
    static boolean matches(Pattern pattern, String rawPath) {
        Matcher matcher = pattern.matcher(rawPath);
        if (!matcher.matches()) {
            return false;
        }
        for (int i = 1; i <= matcher.groupCount(); i++) {
            for (String segment : matcher.group(i).split("/", -1)) {
                if (!safeSegment(segment)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A variable segment must stay one segment of the same endpoint downstream, where servers decode and normalize
     * paths: so no encoded slash or backslash, and nothing that decodes to a dot segment.
     */
    private static boolean safeSegment(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('\\') < 0) {
            // Nothing encoded (the usual case, checked per proxied request without allocating): only a literal dot
            // segment is unsafe.
            return !".".equals(raw) && !"..".equals(raw);
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")) {
            return false;
        }
        String dots = lower.replace("%2e", ".");
        return !".".equals(dots) && !"..".equals(dots);
    }
}
