package org.modelmarket.stack.elasticsearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.modelmarket.stack.ChildProcess;
import org.modelmarket.stack.Engine;
import org.modelmarket.stack.Http;
import org.modelmarket.stack.Jdk;
import org.modelmarket.stack.LockFiles;
import org.modelmarket.stack.ModelMarketHome;
import org.modelmarket.stack.Ports;
import org.modelmarket.stack.StackException;

/**
 * A single-node Elasticsearch 9.5.3, run as a child JVM from the distribution-like folder that
 * deploy/engines/elasticsearch assembles (server on the module path, transport-netty4 and our modelmarket-analysis
 * module), started by our launcher because Elasticsearch's own bootstrap is not published.
 */
public final class ElasticsearchEngine implements Engine {

    private static final String LAUNCHER = "org.modelmarket.engines.elasticsearch.launcher/"
            + "org.modelmarket.engines.elasticsearch.launcher.NodeMain";

    private final int requestedPort;
    private final Path workDir;
    private final int heapMb;
    private final boolean c1Only;
    private int port;
    private ChildProcess node;

    /**
     * @param httpPort 0 for a free port
     * @param workDir  holds data/, logs/ and tmp/; a kept folder keeps the indices across restarts
     * @param heapMb   node heap, e.g. 256 for tests, 512 for a local run
     */
    public ElasticsearchEngine(int httpPort, Path workDir, int heapMb) {
        this(httpPort, workDir, heapMb, true);
    }

    /**
     * @param c1Only true for short-lived nodes (tests): C1 gets them ready on half the CPU; false for the long-lived
     *               local run, where C2 pays back within a minute (measured by deploy/bench/read-paths.sh)
     */
    public ElasticsearchEngine(int httpPort, Path workDir, int heapMb, boolean c1Only) {
        this.requestedPort = httpPort;
        this.workDir = workDir.toAbsolutePath();
        this.heapMb = heapMb;
        this.c1Only = c1Only;
    }

    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public void start() {
        Path home = ModelMarketHome.engine("elasticsearch");
        if (port == 0) {
            port = Ports.claim(requestedPort, "Elasticsearch");
        }
        Path tmp = workDir.resolve("tmp");
        try {
            Files.createDirectories(tmp);
            Files.createDirectories(workDir.resolve("data"));
        } catch (IOException e) {
            throw new StackException(
                    "Cannot create the Elasticsearch folders in " + workDir + ": " + e.getMessage(), e);
        }
        // Kept data after a crash: the node recovers its shards itself; only a node still holding the folder would stop
        // it.
        LockFiles.requireUnlocked(workDir.resolve("data/node.lock"), "Elasticsearch");
        // Fixed defaults (single-node discovery, cluster name, relaxed disk thresholds) live in the engine's
        // config/elasticsearch.yml; only what differs per run is passed here.
        List<String> command =
                new ArrayList<>(List.of(Jdk.java().toString(), "-Xms" + heapMb + "m", "-Xmx" + heapMb + "m"));
        if (c1Only) {
            // C1 only: half the CPU to get ready (about 5 instead of 10 CPU seconds), which counts on a shared
            // 2-core machine for a node that lives one test run; searches stay in the milliseconds, but about 2x
            // slower than with C2 once warm. G1 stays either way: the real-memory circuit breaker is tuned for it
            // and would trip early with the serial collector.
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(List.of(
                // Lucene's vector code and Elasticsearch's native access, as the real jvm.options enable them.
                "--add-modules=jdk.incubator.vector",
                "--enable-native-access=org.elasticsearch.nativeaccess,org.apache.lucene.core",
                // Netty settings of the official distribution: no sun.misc.Unsafe, no per-thread buffer caches.
                "-Dio.netty.noUnsafe=true",
                "-Dio.netty.noKeySetOptimization=true",
                "-Dio.netty.recycler.maxCapacityPerThread=0",
                // Log4j: no lookups, no JMX, and no shutdown hook of its own, so the node can still log while it
                // closes.
                "-Dlog4j2.formatMsgNoLookups=true",
                "-Dlog4j2.disable.jmx=true",
                "-Dlog4j.shutdownHookEnabled=false",
                "-Djava.locale.providers=CLDR",
                "-Djava.io.tmpdir=" + tmp,
                "--module-path",
                home.resolve("lib").toString(),
                "--add-modules=ALL-MODULE-PATH",
                "-m",
                LAUNCHER,
                home.toString(),
                "-Ehttp.port=" + port,
                // Transport is only used inside this one node: any free port, so that nodes never collide on 9300.
                "-Etransport.port=0",
                "-Enetwork.host=" + Ports.LOOPBACK,
                "-Epath.data=" + workDir.resolve("data"),
                "-Epath.logs=" + workDir.resolve("logs")));
        node = ChildProcess.start(
                "elasticsearch", command, workDir, Map.of(), workDir.resolve("logs/elasticsearch.out"));
        node.awaitReady(
                Duration.ofSeconds(90),
                () -> Http.status(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s") == 200);
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:P}, the form quarkus.elasticsearch.hosts takes. */
    public String hostAndPort() {
        return Ports.LOOPBACK + ":" + port;
    }

    /** {@code http://127.0.0.1:P}. */
    public String url() {
        return "http://" + hostAndPort();
    }

    @Override
    public List<ProcessHandle> processes() {
        return node != null && node.isAlive() ? node.processTree() : List.of();
    }

    @Override
    public List<Integer> ports() {
        return node != null ? List.of(port) : List.of();
    }

    /** The node's process id while it runs, else -1. */
    public long pid() {
        return node != null && node.isAlive() ? node.pid() : -1;
    }

    /** Stops the node (SIGTERM; it closes in well under a second); data/ is kept for the next start on the same folder. */
    @Override
    public void close() {
        if (node != null) {
            node.close();
            node = null;
        }
    }
}
