package org.modelmarket.artifact.scan;

import java.nio.channels.SeekableByteChannel;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

/**
 * The fallback scanner: reports every file as not scanned. A real {@link FileScanner} bean (the pickle and safetensors
 * scanner) replaces it, being the non-default bean; until then no file is ever presented as checked.
 */
@ApplicationScoped
@DefaultBean
public class NotScanningFileScanner implements FileScanner {

    @Override
    public ScanResult scan(String path, SeekableByteChannel content, long size) {
        return ScanResult.notScanned();
    }
}
