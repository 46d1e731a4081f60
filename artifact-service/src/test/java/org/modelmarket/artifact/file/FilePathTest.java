package org.modelmarket.artifact.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilePathTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "config.json",
                "onnx/model.onnx",
                "a/b/c.d/e",
                ".gitattributes",
                "weights/..hidden",
                "name with spaces.bin"
            })
    void acceptsRelativePaths(String path) {
        assertThat(FilePath.problem(path)).isEmpty();
        assertThat(new FilePath(path).value()).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "/etc/passwd", "../secret", "a/../b", "a/./b", "a//b", "a/", "a\\b", "a\u0000b", "tab\there"
            })
    void refusesUnsafePaths(String path) {
        assertThat(FilePath.problem(path)).isPresent();
        assertThatThrownBy(() -> new FilePath(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void limitsTheLength() {
        assertThat(FilePath.problem("a".repeat(FilePath.MAX_LENGTH))).isEmpty();
        assertThat(FilePath.problem("a".repeat(FilePath.MAX_LENGTH + 1))).contains("must be at most 1024 characters");
    }
}
