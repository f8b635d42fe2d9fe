package dev.firebreak.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples of a Prometheus text exposition (an API server's, etcd's, the operator's /metrics), and sums over them. */
public final class PromText {
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? ([-+0-9.eE]+|NaN|\\+Inf)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample: its metric name, labels and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private final List<Sample> samples;

    private PromText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PromText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(
                    new Sample(m.group(1), labels, Double.parseDouble(m.group(4).replace("+Inf", "Infinity"))));
        }
        return new PromText(samples);
    }

    /** The sum of the samples of {@code name} whose labels pass {@code which}. */
    public double sum(String name, Predicate<Sample> which) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(which)
                .mapToDouble(Sample::value)
                .sum();
    }

    public double sum(String name) {
        return sum(name, s -> true);
    }

    public List<Sample> samples() {
        return samples;
    }
}
