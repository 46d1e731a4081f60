package org.modelmarket.artifact.access;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/**
 * Which files of a listing stay readable before buying (the README, configs), as glob patterns: a file is open when a
 * pattern matches its name, or its whole path (a pattern with '/' in it can only match paths). Every other file is a
 * weight file: protected on paid and gated listings, and counted when downloaded.
 */
public final class OpenFiles {

    /** The most patterns one rule may hold. */
    public static final int MAX_PATTERNS = 100;

    /** The longest pattern, in characters. */
    public static final int MAX_PATTERN_LENGTH = 256;

    private final List<String> patterns;
    private final List<PathMatcher> matchers;

    private OpenFiles(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.matchers = this.patterns.stream()
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                .toList();
    }

    /** The rule of these patterns; each must be valid ({@link #problem}). */
    public static OpenFiles of(List<String> patterns) {
        return new OpenFiles(patterns);
    }

    /** The patterns, in the order given. */
    public List<String> patterns() {
        return patterns;
    }

    /** Whether the file at {@code path} (a valid file path) is open. */
    public boolean isOpen(String path) {
        Path file = Path.of(path);
        Path name = file.getFileName();
        for (PathMatcher matcher : matchers) {
            if (matcher.matches(name) || matcher.matches(file)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why {@code pattern} cannot be an open-file pattern, or empty when it can. The rules mirror those of file paths
     * (relative, no empty, '.' or '..' segments, no control characters), so that a pattern can match some file;
     * backslashes are refused because a glob would read them as escapes, which no file path needs.
     */
    public static Optional<String> problem(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return Optional.of("must not be blank");
        }
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            return Optional.of("must be at most " + MAX_PATTERN_LENGTH + " characters");
        }
        if (pattern.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("must not contain control characters");
        }
        if (pattern.indexOf('\\') >= 0) {
            return Optional.of("must not contain '\\' (file paths never do; a glob reads it as an escape)");
        }
        if (pattern.startsWith("/")) {
            return Optional.of("must be relative (no leading '/'): patterns match paths inside the listing");
        }
        for (String segment : pattern.split("/", -1)) {
            if (segment.isEmpty()) {
                return Optional.of("must not contain empty segments ('//' or a trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("must not contain '.' or '..' segments");
            }
        }
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            return Optional.of("is not a valid glob: " + e.getDescription() + " at index " + e.getIndex());
        }
        return Optional.empty();
    }
}
