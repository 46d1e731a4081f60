package org.modelmarket.artifact.access;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.listing.Listing;

/**
 * The open-file rule that applies to a listing: its own ({@code PUT .../file-access}), read with the listing row the
 * request loads anyway, or the service's default ({@code access.open-files}). Compiled globs are kept by pattern list,
 * so a download compiles nothing.
 */
@ApplicationScoped
public class OpenFileRules {

    /** Bound of the compiled-rule memo; past it the memo starts afresh (rules are cheap to compile again). */
    private static final int MAX_COMPILED = 1024;

    private final OpenFiles defaults;
    private final Map<List<String>, OpenFiles> compiled = new ConcurrentHashMap<>();

    public OpenFileRules(ArtifactConfig config) {
        this.defaults = OpenFiles.of(config.access().openFiles());
    }

    /** The service's default rule. */
    public OpenFiles defaults() {
        return defaults;
    }

    /** The rule of {@code listing}: its own, or the default when it has none. */
    public OpenFiles of(Listing listing) {
        if (listing.openFiles == null) {
            return defaults;
        }
        List<String> patterns = Arrays.asList(listing.openFiles);
        OpenFiles rule = compiled.get(patterns);
        if (rule == null) {
            if (compiled.size() >= MAX_COMPILED) {
                compiled.clear();
            }
            rule = compiled.computeIfAbsent(List.copyOf(patterns), OpenFiles::of);
        }
        return rule;
    }
}
