package org.modelmarket.artifact.scan;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks the opcodes of one pickle (protocols 0 to 5) without executing anything, and collects every global it would
 * import (GLOBAL, INST, STACK_GLOBAL) and every import it makes in a way that cannot be resolved statically.
 *
 * <p>The value stack is simulated only as far as needed to know which strings STACK_GLOBAL pops: strings are kept
 * (short ones only), everything else is an opaque placeholder. The memo keeps the strings stored in it, because the
 * pickler writes a repeated module name once and fetches it back with a GET. Large payloads (tensor bytes) are
 * skipped, not read into memory.
 */
final class PickleReader {

    /** A longer string cannot be a module or attribute name worth resolving; it is kept as a placeholder. */
    static final int MAX_NAME_LENGTH = 256;
    /** Text arguments of protocol 0 (a line) longer than this make the pickle invalid. */
    static final int MAX_LINE_LENGTH = 64 * 1024;
    /** Real pickles stay shallow (the pickler batches by 1000); a deeper stack is refused to bound memory. */
    static final int MAX_STACK_DEPTH = 1_000_000;
    /** Strings remembered in the memo; beyond it STACK_GLOBAL over a memo fetch is reported as unresolvable. */
    static final int MAX_MEMO_STRINGS = 100_000;
    /** Opcodes read per pickle before the scan gives up (bounds the time of hostile inputs). */
    static final long MAX_OPCODES = 200_000_000L;

    private static final Object OPAQUE = new Object();
    private static final Object LONG_STRING = new Object();
    private static final Object MARK = new Object();

    private final InputStream in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, String> memo = new HashMap<>();
    private long memoLength;
    private long position;
    private final Set<Global> globals = new LinkedHashSet<>();
    private final Set<String> unresolved = new LinkedHashSet<>();

    /** One import a pickle makes: {@code module} and the (possibly dotted) attribute {@code name}. */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** What one pickle imports; {@code error} is null when it was read up to its STOP opcode. */
    record Outcome(Set<Global> globals, Set<String> unresolved, String error, long length) {
        boolean complete() {
            return error == null;
        }
    }

    private PickleReader(InputStream in) {
        this.in = in;
    }

    /** Reads one pickle from the current position of {@code in} up to and including its STOP opcode. */
    static Outcome read(InputStream in) {
        PickleReader reader = new PickleReader(in);
        String error = null;
        try {
            reader.run();
        } catch (PickleFormatException | EOFException e) {
            error = e instanceof EOFException
                    ? "truncated pickle: the file ends at byte " + reader.position + " before the STOP opcode"
                    : e.getMessage();
        } catch (IOException e) {
            error = "unreadable pickle: " + e.getMessage();
        }
        return new Outcome(reader.globals, reader.unresolved, error, reader.position);
    }

    private void run() throws IOException {
        for (long count = 0; ; count++) {
            if (count > MAX_OPCODES) {
                throw new PickleFormatException("more than " + MAX_OPCODES + " opcodes: not scanned to the end");
            }
            long at = position;
            int op = readByte();
            switch (op) {
                case '.' -> { // STOP
                    return;
                }
                case 0x80 -> { // PROTO
                    int protocol = readByte();
                    if (protocol > 5) {
                        throw new PickleFormatException("unsupported pickle protocol " + protocol + " at byte " + at);
                    }
                }
                case 0x95 -> readLittleEndian(8); // FRAME: framing is transparent to the opcode stream
                case '(' -> { // MARK
                    marks.add(stack.size());
                    push(MARK);
                }
                case '0' -> pop(at); // POP
                case '1' -> popMark(at); // POP_MARK
                case '2' -> push(peek(at)); // DUP
                // Scalars: push an opaque value.
                case 'N', 0x88, 0x89, '}', ']', ')', 0x8f, 0x97 -> push(OPAQUE);
                case 'F', 'I', 'L' -> {
                    readLine(at);
                    push(OPAQUE);
                }
                case 'J' -> {
                    skip(4);
                    push(OPAQUE);
                }
                case 'K' -> {
                    skip(1);
                    push(OPAQUE);
                }
                case 'M' -> {
                    skip(2);
                    push(OPAQUE);
                }
                case 'G' -> {
                    skip(8);
                    push(OPAQUE);
                }
                case 0x8a -> { // LONG1
                    skip(readByte());
                    push(OPAQUE);
                }
                case 0x8b -> { // LONG4
                    skip(readLength(4, at));
                    push(OPAQUE);
                }
                // Strings: kept when short, since STACK_GLOBAL takes its module and name from them.
                case 'S' -> push(quoted(readLine(at), at)); // STRING
                case 'V' -> push(name(readLine(at))); // UNICODE (raw-unicode-escape; names are plain ASCII)
                case 'T' -> push(bytesString(readLength(4, at), StandardCharsets.ISO_8859_1)); // BINSTRING
                case 'U' -> push(bytesString(readByte(), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
                case 'X' -> push(bytesString(readLength(4, at), StandardCharsets.UTF_8)); // BINUNICODE
                case 0x8c -> push(bytesString(readByte(), StandardCharsets.UTF_8)); // SHORT_BINUNICODE
                case 0x8d -> push(bytesString(readLength(8, at), StandardCharsets.UTF_8)); // BINUNICODE8
                // Bytes: skipped.
                case 'B' -> skipPush(readLength(4, at)); // BINBYTES
                case 'C' -> skipPush(readByte()); // SHORT_BINBYTES
                case 0x8e, 0x96 -> skipPush(readLength(8, at)); // BINBYTES8, BYTEARRAY8
                // Persistent ids are resolved by the loading application (PyTorch's storages), not imported.
                case 'P' -> {
                    readLine(at);
                    push(OPAQUE);
                }
                case 'Q', 0x98, 0x85 -> { // BINPERSID, READONLY_BUFFER, TUPLE1: pop one, push one
                    pop(at);
                    push(OPAQUE);
                }
                case 'R', 0x81, 0x86 -> { // REDUCE, NEWOBJ, TUPLE2: pop two, push one
                    pop(at);
                    pop(at);
                    push(OPAQUE);
                }
                case 0x87, 0x92 -> { // TUPLE3, NEWOBJ_EX: pop three, push one
                    pop(at);
                    pop(at);
                    pop(at);
                    push(OPAQUE);
                }
                case 'a', 'b' -> pop(at); // APPEND, BUILD
                case 's' -> { // SETITEM
                    pop(at);
                    pop(at);
                }
                case 'e', 'u', 0x90 -> popMark(at); // APPENDS, SETITEMS, ADDITEMS
                case 'd',
                        'l',
                        't',
                        'o',
                        0x91 -> { // DICT, LIST, TUPLE, OBJ (its class came from a checked global), FROZENSET
                    popMark(at);
                    push(OPAQUE);
                }
                // Imports.
                case 'c' -> { // GLOBAL module\nname\n
                    String module = readLine(at);
                    String name = readLine(at);
                    globals.add(new Global(module, name));
                    push(OPAQUE);
                }
                case 'i' -> { // INST module\nname\n: imports, then calls it with the marked arguments
                    String module = readLine(at);
                    String name = readLine(at);
                    globals.add(new Global(module, name));
                    popMark(at);
                    push(OPAQUE);
                }
                case 0x93 -> { // STACK_GLOBAL: module and name are the two strings on top of the stack
                    Object name = pop(at);
                    Object module = pop(at);
                    if (module instanceof String m && name instanceof String n) {
                        globals.add(new Global(m, n));
                    } else {
                        unresolved.add("STACK_GLOBAL at byte " + at + " imports a name the scanner cannot resolve");
                    }
                    push(OPAQUE);
                }
                case 0x82, 0x83, 0x84 -> { // EXT1, EXT2, EXT4: an import through the copyreg extension registry
                    long code = readLittleEndian(op == 0x82 ? 1 : op == 0x83 ? 2 : 4);
                    unresolved.add("extension registry code " + code + " at byte " + at
                            + " imports a name the scanner cannot resolve");
                    push(OPAQUE);
                }
                // Memo.
                case 'p' -> store(parseIndex(readLine(at), at), at); // PUT
                case 'q' -> store(readByte(), at); // BINPUT
                case 'r' -> store(readLittleEndian(4), at); // LONG_BINPUT
                case 0x94 -> store(memoLength, at); // MEMOIZE
                case 'g' -> fetch(parseIndex(readLine(at), at)); // GET
                case 'h' -> fetch(readByte()); // BINGET
                case 'j' -> fetch(readLittleEndian(4)); // LONG_BINGET
                default ->
                    throw new PickleFormatException(String.format("invalid pickle opcode 0x%02x at byte %d", op, at));
            }
        }
    }

    private void push(Object value) throws PickleFormatException {
        if (stack.size() >= MAX_STACK_DEPTH) {
            throw new PickleFormatException("pickle stack deeper than " + MAX_STACK_DEPTH + " at byte " + position);
        }
        stack.add(value);
    }

    private Object pop(long at) throws PickleFormatException {
        if (stack.isEmpty() || stack.getLast() == MARK) {
            throw new PickleFormatException("pickle pops an empty stack at byte " + at);
        }
        return stack.removeLast();
    }

    private Object peek(long at) throws PickleFormatException {
        if (stack.isEmpty()) {
            throw new PickleFormatException("pickle reads an empty stack at byte " + at);
        }
        return stack.getLast();
    }

    private void popMark(long at) throws PickleFormatException {
        if (marks.isEmpty()) {
            throw new PickleFormatException("pickle pops to a mark that was never set at byte " + at);
        }
        int size = marks.removeLast();
        stack.subList(size, stack.size()).clear();
    }

    private void store(long index, long at) throws PickleFormatException {
        Object top = peek(at);
        if (top == MARK) {
            throw new PickleFormatException("pickle memoizes a mark at byte " + at);
        }
        if (top instanceof String s && (memo.size() < MAX_MEMO_STRINGS || memo.containsKey(index))) {
            memo.put(index, s);
        } else {
            memo.remove(index);
        }
        memoLength = Math.max(memoLength, index + 1);
    }

    private void fetch(long index) throws PickleFormatException {
        String value = memo.get(index);
        push(value != null ? value : OPAQUE);
    }

    private void skipPush(long length) throws IOException {
        skip(length);
        push(OPAQUE);
    }

    private Object bytesString(long length, java.nio.charset.Charset charset) throws IOException {
        if (length > MAX_NAME_LENGTH) {
            skip(length);
            return LONG_STRING;
        }
        return new String(readBytes((int) length), charset);
    }

    private static Object name(String value) {
        return value.length() > MAX_NAME_LENGTH ? LONG_STRING : value;
    }

    private static Object quoted(String line, long at) throws PickleFormatException {
        if (line.length() >= 2
                && (line.charAt(0) == '\'' || line.charAt(0) == '"')
                && line.charAt(line.length() - 1) == line.charAt(0)) {
            return name(line.substring(1, line.length() - 1));
        }
        throw new PickleFormatException("STRING argument is not quoted at byte " + at);
    }

    private static long parseIndex(String line, long at) throws PickleFormatException {
        try {
            return Long.parseLong(line.trim());
        } catch (NumberFormatException e) {
            throw new PickleFormatException("memo index is not a number at byte " + at);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        position++;
        return b;
    }

    private byte[] readBytes(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        position += bytes.length;
        if (bytes.length < length) {
            throw new EOFException();
        }
        return bytes;
    }

    private long readLittleEndian(int width) throws IOException {
        byte[] bytes = readBytes(width);
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }

    /** A length prefix; negative (signed 4-byte BINSTRING) or beyond 2^63 is malformed. */
    private long readLength(int width, long at) throws IOException {
        long length = readLittleEndian(width);
        if (length < 0 || (width == 4 && length > Integer.MAX_VALUE)) {
            throw new PickleFormatException("negative or oversized length at byte " + at);
        }
        return length;
    }

    private void skip(long length) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            long skipped = in.skip(remaining);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                skipped = 1;
            }
            remaining -= skipped;
            position += skipped;
        }
    }

    /** A protocol 0 text argument up to its newline, without it. */
    private String readLine(long at) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = readByte();
            if (b == '\n') {
                return line.toString();
            }
            if (line.length() >= MAX_LINE_LENGTH) {
                throw new PickleFormatException(
                        "text argument longer than " + MAX_LINE_LENGTH + " bytes at byte " + at);
            }
            line.append((char) b);
        }
    }

    /** The input is not a well-formed pickle. */
    static final class PickleFormatException extends IOException {
        PickleFormatException(String message) {
            super(message);
        }
    }
}
