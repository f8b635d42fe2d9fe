package dev.firebreak.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: the exact bytes a test produces, committed under src/test/resources and reviewed like code.
 * {@code -Dgolden.update=true} rewrites them from the actual output.
 */
public final class Golden {
    private Golden() {}

    public static void assertMatches(String directory, String file, String actual) {
        Path path = Path.of("src/test/resources", directory, file);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.writeString(path, actual, StandardCharsets.UTF_8);
            }
            assertThat(actual).as("golden file %s", path).isEqualTo(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
