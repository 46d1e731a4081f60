package org.modelmarket.gateway.route.proxy;

import java.net.URI;

/** Rewrites a service's own absolute {@code Location} into the gateway's address space. */
final class Locations {

    private Locations() {}

    /**
     * Services build absolute {@code Location}s from their own address; the gateway serves the same paths, so only
     * the origin changes. Relative locations and foreign origins (an object store's presigned URL) are left as they
     * are.
     */
    static String publicLocation(String location, URI base, String publicOrigin) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            return location;
        }
        if (!uri.isAbsolute() || publicOrigin == null || uri.getHost() == null) {
            return location;
        }
        boolean sameOrigin = base.getScheme().equalsIgnoreCase(uri.getScheme())
                && base.getHost().equalsIgnoreCase(uri.getHost())
                && port(base) == port(uri);
        if (!sameOrigin) {
            return location;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return publicOrigin + path + query;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
