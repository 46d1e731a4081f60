package org.modelmarket.artifact.commit.service;

import java.util.List;

import org.modelmarket.artifact.commit.Commit;

/**
 * What a commit request did.
 *
 * @param commit the new commit, or the unchanged head when nothing changed
 * @param created whether a new commit was made
 * @param changedPaths paths added or replaced
 * @param deletedPaths paths removed
 */
public record CommitOutcome(Commit commit, boolean created, List<String> changedPaths, List<String> deletedPaths) {}
