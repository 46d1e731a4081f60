package org.modelmarket.gateway.file;

/**
 * One file of a listing as artifact-service describes it.
 *
 * @param path   the path inside the listing, e.g. {@code weights/model.safetensors}
 * @param size   its size in bytes
 * @param sha256 the hex SHA-256 of its content
 */
public record FileEntry(String path, long size, String sha256) {}
