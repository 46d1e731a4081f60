package org.modelmarket.artifact.commit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The deterministic commit id: the first 40 hex digits of the SHA-256 of a canonical text made of the listing, the
 * parent, the message and the manifest (README, "Commit ids"). Anyone holding the files can recompute it with
 * {@code sha256sum | cut -c1-40}; SHA-256 rather than SHA-1 because SHA-1 collisions can be made. The listing is part
 * of it so that two listings with the same files, parent and message never share an id (Hub clients cache by commit
 * id). Ids are stored, never recomputed on read: commits made with the first recipe (without the listing) keep them.
 */
public final class CommitId {

    /** What a commit id looks like. */
    public static final Pattern PATTERN = Pattern.compile("[0-9a-f]{40}");

    /** Paths in unsigned UTF-8 byte order, the order PostgreSQL's {@code convert_to(path, 'UTF8')} sorts in. */
    public static final Comparator<String> PATH_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** One manifest line's content. */
    public record Entry(String path, long size, String sha256) {}

    private CommitId() {}

    /** Whether {@code value} has the shape of a commit id. */
    public static boolean isCommitId(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }

    /**
     * The canonical text: {@code modelmarket-commit 2\n}, {@code listing <namespace>/<name>\n}, {@code parent <id or
     * ->\n}, {@code message <UTF-8 byte length>\n<message>\n}, then one {@code <sha256> <size> <path>\n} per file in
     * {@link #PATH_ORDER}. Namespaces and names are slugs, so the listing line cannot hold a line feed.
     */
    public static String canonical(String listing, String parent, String message, List<Entry> files) {
        StringBuilder text = new StringBuilder("modelmarket-commit 2\n")
                .append("listing ")
                .append(listing)
                .append('\n')
                .append("parent ")
                .append(parent == null ? "-" : parent)
                .append('\n')
                .append("message ")
                .append(message.getBytes(StandardCharsets.UTF_8).length)
                .append('\n')
                .append(message)
                .append('\n');
        files.stream()
                .sorted(Comparator.comparing(Entry::path, PATH_ORDER))
                .forEach(f -> text.append(f.sha256())
                        .append(' ')
                        .append(f.size())
                        .append(' ')
                        .append(f.path())
                        .append('\n'));
        return text.toString();
    }

    /** The id of a commit of {@code listing} ({@code namespace/name}) with this parent, message and manifest. */
    public static String of(String listing, String parent, String message, List<Entry> files) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(listing, parent, message, files).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
