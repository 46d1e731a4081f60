package org.modelmarket.artifact.file;

import java.util.Optional;

/**
 * A file path inside a listing, e.g. {@code onnx/model.onnx}: relative, '/'-separated, no empty, '.' or '..'
 * segments, no backslashes or control characters, at most {@value #MAX_LENGTH} characters. These rules keep paths
 * portable for Hub clients that mirror them onto local disks.
 */
public record FilePath(String value) {

    /** The longest accepted path, in characters. */
    public static final int MAX_LENGTH = 1024;

    public FilePath {
        problem(value).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
    }

    /** Why {@code path} is not a valid file path, or empty when it is. */
    public static Optional<String> problem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (path.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (path.startsWith("/")) {
            return Optional.of("must be relative (no leading '/')");
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            return Optional.of("must not contain control characters or '\\'");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return Optional.of("must not contain empty segments ('//' or a trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("must not contain '.' or '..' segments");
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
