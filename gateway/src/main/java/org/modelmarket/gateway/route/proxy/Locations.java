package org.modelmarket.gateway.route.proxy;

import java.net.URI;

/** Rewrites a service's own absolute {@code Location} into the gateway's address space. */
final class Locations {

    private static final String SIGNED = "/api/v1/signed/";

    private Locations() {}

    /**
     * Services build absolute {@code Location}s from their own address; the gateway serves the same paths, so only
     * the origin changes. Relative locations and foreign origins (an object store's presigned URL) are left as they
     * are, and so are signed download URLs: artifact-service points them at its own address only when it is told to
     * serve them there itself ({@code modelmarket.artifact.signing.base-url}), so that the bytes bypass the gateway.
     */
    static String publicLocation(String location, URI base, String publicOrigin) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            return location;
        }
        if (!uri.isAbsolute()
                || publicOrigin == null
                || uri.getHost() == null
                || (uri.getRawPath() != null && uri.getRawPath().startsWith(SIGNED))) {
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
