package dev.firebreak.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The operator's JVM as the chart runs it, for the benchmarks that measure its memory. */
final class ChartJvm {
    /** The chart's memory limit (its default, 512 MiB), or {@code -Dbench.memoryLimitMiB=N} to size it for a cluster. */
    static final long LIMIT = Long.getLong("bench.memoryLimitMiB", 512L) << 20;
    /** The chart's MALLOC_ARENA_MAX. */
    static final String MALLOC_ARENA_MAX = "2";

    private ChartJvm() {}

    /**
     * The command before {@code -jar}: into the cgroup, then the options the image's run-java.sh (UBI OpenJDK 17
     * runtime) gives the JVM, then the chart's JAVA_OPTS_APPEND, and a GC log. Started with the chart's environment
     * ({@link #MALLOC_ARENA_MAX}). Where no cgroup is enforced the JVM is told the limit instead.
     */
    static List<String> command(Cgroup cgroup, String gcLog) {
        List<String> java = new ArrayList<>(cgroup.wrapper());
        java.addAll(List.of(
                "java",
                "-XX:+UseParallelGC",
                "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=20",
                "-XX:GCTimeRatio=4",
                "-XX:AdaptiveSizePolicyWeight=90",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:MaxRAMPercentage=35",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Xlog:gc:file=" + gcLog + ":uptime"));
        if (!cgroup.enforced()) {
            java.add("-XX:MaxRAM=" + LIMIT);
        }
        return java;
    }

    /**
     * A cgroup-v1 memory cgroup below this process's own, limited to {@code limit} bytes, that the operator is started
     * in: the JVM then sizes its heap from the limit as in a pod, and the kernel enforces it. Where the controller is
     * not writable, nothing is enforced and the JVM is told the size instead.
     */
    record Cgroup(Path dir) implements AutoCloseable {
        static Cgroup create(String name, long limit) {
            try {
                String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                        .filter(l -> l.matches("^[0-9]+:memory:.*"))
                        .map(l -> l.substring(l.indexOf(":memory:") + 8))
                        .findFirst()
                        .orElse(null);
                if (own == null) {
                    return new Cgroup(null);
                }
                Path dir = Path.of("/sys/fs/cgroup/memory" + own, name);
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(limit));
                return new Cgroup(dir);
            } catch (IOException | RuntimeException e) {
                return new Cgroup(null);
            }
        }

        boolean enforced() {
            return dir != null;
        }

        List<String> wrapper() {
            return dir == null
                    ? List.of()
                    : List.of("sh", "-c", "echo $$ > " + dir.resolve("cgroup.procs") + " && exec \"$@\"", "sh");
        }

        /** Removes the cgroup once its last process is gone (the kernel refuses while one remains). */
        @Override
        public void close() {
            if (dir != null) {
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> {
                            Files.deleteIfExists(dir);
                            return true;
                        });
            }
        }
    }
}
