package org.modelmarket.deploy.images;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An OCI image tarball (as Jib's buildTar writes it) read without a container tool: config, layers, file entries. */
final class OciImage {

    /** One file system entry of a layer: its path, mode, owner and link target. */
    record Entry(String path, int mode, long uid, boolean directory, boolean symlink, String linkTarget, long size) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    final JsonNode manifest;
    final JsonNode config;
    /** Layers in order, each as its entries by path (without a leading slash). */
    final List<Map<String, Entry>> layers = new ArrayList<>();

    private OciImage(JsonNode manifest, JsonNode config) {
        this.manifest = manifest;
        this.config = config;
    }

    static OciImage read(Path tarball) throws IOException {
        Map<String, byte[]> blobs = new HashMap<>();
        byte[] index = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.isFile()) {
                    byte[] data = tar.readAllBytes();
                    if (entry.getName().equals("index.json")) {
                        index = data;
                    } else if (entry.getName().startsWith("blobs/sha256/")) {
                        blobs.put("sha256:" + entry.getName().substring("blobs/sha256/".length()), data);
                    }
                }
            }
        }
        if (index == null) {
            throw new IOException(tarball + " is not an OCI image layout (no index.json)");
        }
        JsonNode manifest = JSON.readTree(
                blobs.get(JSON.readTree(index).at("/manifests/0/digest").asText()));
        OciImage image = new OciImage(
                manifest, JSON.readTree(blobs.get(manifest.at("/config/digest").asText())));
        for (JsonNode layer : manifest.get("layers")) {
            byte[] blob = blobs.get(layer.get("digest").asText());
            image.layers.add(entries(
                    layer.get("mediaType").asText().endsWith("gzip")
                            ? new GzipCompressorInputStream(new ByteArrayInputStream(blob))
                            : new ByteArrayInputStream(blob)));
        }
        return image;
    }

    private static Map<String, Entry> entries(InputStream layer) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(layer)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String path = e.getName()
                        .replaceFirst("^\\./", "")
                        .replaceFirst("^/", "")
                        .replaceFirst("/$", "");
                entries.put(
                        path,
                        new Entry(
                                path,
                                e.getMode(),
                                e.getLongUserId(),
                                e.isDirectory(),
                                e.isSymbolicLink(),
                                e.getLinkName(),
                                e.getSize()));
            }
        }
        return entries;
    }

    /** The entry at a path in the image's merged file system (the topmost layer that has it). */
    Entry file(String path) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            Entry entry = layers.get(i).get(path);
            if (entry != null) {
                return entry;
            }
        }
        return null;
    }

    List<Entry> all() {
        Map<String, Entry> merged = new LinkedHashMap<>();
        layers.forEach(merged::putAll);
        return new ArrayList<>(merged.values());
    }
}
