package org.modelmarket.artifact.file.rest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One satisfiable byte range of a representation (RFC 9110 section 14): {@code first} to {@code last} inclusive.
 * Only single ranges are served; a list of ranges or an unparsable header is ignored (the whole file is sent), as the
 * RFC allows.
 */
public record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** The outcome of reading a {@code Range} header against a size. */
    public sealed interface Parsed {
        /** Serve the whole representation (no header, several ranges, or a syntax the server ignores). */
        record Whole() implements Parsed {}

        /** Serve this range with 206. */
        record Partial(ByteRange range) implements Parsed {}

        /** Answer 416: the range starts past the end, or a suffix of zero bytes was asked for. */
        record Unsatisfiable() implements Parsed {}
    }

    /** The number of bytes in the range. */
    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value for a representation of {@code size} bytes. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** Reads a {@code Range} header for a representation of {@code size} bytes. */
    public static Parsed parse(String header, long size) {
        if (header == null) {
            return new Parsed.Whole();
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return new Parsed.Whole();
        }
        try {
            if (m.group(1).isEmpty()) { // suffix: the last N bytes
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    return new Parsed.Unsatisfiable();
                }
                return new Parsed.Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            if (first >= size) {
                return new Parsed.Unsatisfiable();
            }
            long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
            if (last < first) {
                return new Parsed.Whole(); // syntactically invalid: ignored
            }
            return new Parsed.Partial(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) { // digits beyond a long: ignore the header
            return new Parsed.Whole();
        }
    }
}
