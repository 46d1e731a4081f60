package org.modelmarket.gateway.file.client;

import io.vertx.mutiny.core.buffer.Buffer;

/** A piece of a streamed upload: first where the file goes, then its bytes. */
public sealed interface UploadPart {

    /** Where the file goes, and the commit message (may be null). */
    record Target(String namespace, String name, String path, String message) implements UploadPart {}

    /** The next bytes of the file. */
    record Data(Buffer bytes) implements UploadPart {}
}
