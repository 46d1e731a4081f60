package org.modelmarket.artifact.file.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One satisfiable byte range of a representation (RFC 9110 section 14): {@code first} to {@code last} inclusive.
 * A {@code Range} header may list several; overlapping ones are coalesced, and a header the server does not
 * understand (another unit, bad syntax, more than {@link #MAX_RANGES} ranges) is ignored, as the RFC allows.
 */
public record ByteRange(long first, long last) {

    /** More range-specs than this in one header are ignored (RFC 9110 14.2: a hint of a broken or hostile client). */
    public static final int MAX_RANGES = 100;

    private static final Pattern UNIT = Pattern.compile("(?i)bytes=(.*)");
    private static final Pattern SPEC = Pattern.compile("(\\d*)-(\\d*)");

    /** The outcome of reading a {@code Range} header against a size. */
    public sealed interface Parsed {
        /** Serve the whole representation (no header, or one the server ignores). */
        record Whole() implements Parsed {}

        /** Serve this range with 206 and {@code Content-Range}. */
        record Partial(ByteRange range) implements Parsed {}

        /** Serve these ranges (at least two, disjoint, in the order asked) as 206 {@code multipart/byteranges}. */
        record Multiple(List<ByteRange> ranges) implements Parsed {}

        /** Answer 416: no range selects any byte (each starts past the end, or is a suffix of zero bytes). */
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

    private boolean overlaps(ByteRange other) {
        return first <= other.last && other.first <= last;
    }

    /** Reads a {@code Range} header for a representation of {@code size} bytes. */
    public static Parsed parse(String header, long size) {
        if (header == null) {
            return new Parsed.Whole();
        }
        Matcher unit = UNIT.matcher(header.trim());
        if (!unit.matches()) {
            return new Parsed.Whole();
        }
        List<ByteRange> satisfiable = new ArrayList<>();
        int specs = 0;
        // The list rule of RFC 9110 5.6.1: elements separated by commas with optional whitespace, empty ones allowed.
        for (String element : unit.group(1).split(",", -1)) {
            String spec = element.strip();
            if (spec.isEmpty()) {
                continue;
            }
            if (++specs > MAX_RANGES) {
                return new Parsed.Whole();
            }
            Matcher m = SPEC.matcher(spec);
            if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
                return new Parsed.Whole(); // one invalid range-spec makes the whole header invalid: ignored
            }
            ByteRange range;
            try {
                range = range(m.group(1), m.group(2), size);
            } catch (NumberFormatException e) { // digits beyond a long: ignore the header
                return new Parsed.Whole();
            }
            if (range == INVALID) {
                return new Parsed.Whole();
            }
            if (range != null) {
                satisfiable.add(range);
            }
        }
        if (specs == 0) {
            return new Parsed.Whole();
        }
        List<ByteRange> ranges = coalesce(satisfiable);
        return switch (ranges.size()) {
            case 0 -> new Parsed.Unsatisfiable();
            case 1 -> new Parsed.Partial(ranges.get(0));
            default -> new Parsed.Multiple(List.copyOf(ranges));
        };
    }

    /** Marks a syntactically invalid range-spec ({@code last < first}). */
    private static final ByteRange INVALID = new ByteRange(-1, -1);

    /** The range a spec selects, null when it selects nothing (unsatisfiable), {@link #INVALID} when invalid. */
    private static ByteRange range(String firstDigits, String lastDigits, long size) {
        if (firstDigits.isEmpty()) { // suffix: the last N bytes
            long suffix = Long.parseLong(lastDigits);
            return suffix == 0 || size == 0 ? null : new ByteRange(Math.max(0, size - suffix), size - 1);
        }
        long first = Long.parseLong(firstDigits);
        long last = lastDigits.isEmpty() ? Long.MAX_VALUE : Long.parseLong(lastDigits);
        if (last < first) {
            return INVALID;
        }
        return first >= size ? null : new ByteRange(first, Math.min(last, size - 1));
    }

    /**
     * Merges overlapping ranges (RFC 9110 14.6 allows it, and a multipart answer never repeats bytes): each merged
     * range takes the place of the first of its members, so the parts keep the order they were asked in.
     */
    private static List<ByteRange> coalesce(List<ByteRange> ranges) {
        List<ByteRange> kept = new ArrayList<>();
        for (ByteRange range : ranges) {
            ByteRange merged = range;
            int at = kept.size();
            for (int i = kept.size() - 1; i >= 0; i--) {
                ByteRange other = kept.get(i);
                if (other.overlaps(merged)) {
                    merged = new ByteRange(Math.min(other.first, merged.first), Math.max(other.last, merged.last));
                    kept.remove(i);
                    at = Math.min(at, i);
                    i = kept.size(); // the grown range may now overlap ranges already passed: look again
                }
            }
            kept.add(Math.min(at, kept.size()), merged);
        }
        return kept;
    }
}
