package org.modelmarket.gateway.hub;

import java.util.Map;

/**
 * An error in the Hugging Face Hub's terms: the status, the {@code X-Error-Code} clients branch on (may be null) and
 * the message they show ({@code X-Error-Message} and the JSON body's {@code error}); plus extra headers such as
 * {@code X-Repo-Commit} on a missing entry.
 */
public class HubError extends RuntimeException {

    /** The error codes the Hub clients understand (HF-PROTOCOL §2.5). */
    public static final String REPO_NOT_FOUND = "RepoNotFound";

    public static final String REVISION_NOT_FOUND = "RevisionNotFound";
    public static final String ENTRY_NOT_FOUND = "EntryNotFound";
    public static final String GATED_REPO = "GatedRepo";

    /** What the Python client expects for a bad token, so that it does not mask it as a missing repo. */
    public static final String INVALID_CREDENTIALS = "Invalid credentials in Authorization header";

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public HubError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public HubError(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** A repository that does not exist or that the caller may not see: 401 for anonymous callers, else 404. */
    public static HubError repoNotFound(String repo, boolean anonymous) {
        return new HubError(
                anonymous ? 401 : 404,
                REPO_NOT_FOUND,
                "Repository Not Found for url: " + repo + ". Please make sure you specified the correct `repo_id`"
                        + (anonymous ? " and that you are authenticated." : " and that you have access to it."));
    }

    public static HubError invalidCredentials() {
        return new HubError(401, null, INVALID_CREDENTIALS, Map.of("WWW-Authenticate", "Bearer"));
    }
}
