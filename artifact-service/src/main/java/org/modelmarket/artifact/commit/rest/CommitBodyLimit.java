package org.modelmarket.artifact.commit.rest;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.platform.problem.ProblemException;

/**
 * Refuses an atomic commit whose JSON body (inline base64 content) is larger than
 * {@code upload.commit-body-max-size} before the body is read: JSON is parsed in memory, so large files must come
 * through the streaming uploads and be committed by digest.
 */
public class CommitBodyLimit {

    private final ArtifactConfig config;

    public CommitBodyLimit(ArtifactConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public void limit(ContainerRequestContext request) {
        if (!"POST".equals(request.getMethod())
                || !request.getUriInfo().getPath().endsWith("/commits")) {
            return;
        }
        long max = config.upload().commitBodyMaxSize().asLongValue();
        if (request.getLength() > max) {
            throw new ProblemException(
                    ArtifactProblem.FILE_TOO_LARGE,
                    "A commit body may be at most " + max + " bytes; upload large files with PUT .../files/{path} or "
                            + "POST .../uploads, then commit them by sha256.");
        }
    }
}
