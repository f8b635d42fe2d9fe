package dev.firebreak.templates;

import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.Template;
import io.quarkus.qute.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one Qute engine of Firebreak's documents (emails, reviews): standalone, so that rendering is a pure function that
 * unit tests call without Quarkus. Values in HTML templates are escaped; Markdown and plain text are left as written.
 */
public final class Templates {
    private static final Engine ENGINE = Engine.builder()
            .addDefaults()
            .addValueResolver(new ReflectionValueResolver())
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
            .build();

    private Templates() {}

    /** A template from the classpath (src/main/resources/templates/...); HTML when its name ends in .html. */
    public static Template load(String path) {
        String contentType = path.endsWith(".html") ? Variant.TEXT_HTML : Variant.TEXT_PLAIN;
        try (InputStream in = Templates.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing template " + path);
            }
            return ENGINE.parse(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8), Variant.forContentType(contentType));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template " + path, e);
        }
    }
}
