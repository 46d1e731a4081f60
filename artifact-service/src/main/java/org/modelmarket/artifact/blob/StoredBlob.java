package org.modelmarket.artifact.blob;

/**
 * A blob the store now holds.
 *
 * @param sha256 lower-case hex SHA-256 of the bytes, also the blob's name
 * @param size number of bytes
 */
public record StoredBlob(String sha256, long size) {}
