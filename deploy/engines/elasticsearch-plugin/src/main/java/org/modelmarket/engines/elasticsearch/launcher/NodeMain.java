package org.modelmarket.engines.elasticsearch.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * Starts one Elasticsearch node from an assembled home folder (lib/, modules/, config/) and stops it on SIGTERM;
 * stands in for Elasticsearch's own bootstrap and CLI, which are not published to Maven Central.
 *
 * <p>Usage: {@code NodeMain <home> [-Ekey=value ...]}; the -E settings override config/elasticsearch.yml.
 */
public final class NodeMain {

    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: NodeMain <home> [-Ekey=value ...]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (!args[i].startsWith("-E") || equals < 3) {
                System.err.println("not a -Ekey=value setting: " + args[i]);
                System.exit(2);
            }
            overrides.put(args[i].substring(2, equals), args[i].substring(equals + 1));
        }

        // Logging configuration redirects System.out/err into log4j (the file): keep the process's own stderr
        // so that a failed start still shows in the output the parent reads.
        PrintStream console = System.err;
        Node node;
        try {
            // Elasticsearch's logging facade must exist before the first settings are parsed; the real bootstrap
            // makes the same two calls first.
            LogConfigurator.registerErrorListener();
            LogConfigurator.configureESLogging();
            Environment environment = InternalSettingsPreparer.prepareEnvironment(
                    Settings.builder()
                            .put(Environment.PATH_HOME_SETTING.getKey(), home.toString())
                            .build(),
                    overrides,
                    home.resolve("config"),
                    () -> "modelmarket");
            // From here on the node logs to path.logs as config/log4j2.properties says.
            LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(environment.settings()));
            LogConfigurator.configure(environment, false);

            // "false": a stateful node, so modules meant only for serverless deployments are skipped.
            PluginsLoader plugins = PluginsLoader.createPluginsLoader(
                    PluginsLoader.loadModulesBundles(environment.modulesDir(), false),
                    PluginsLoader.loadPluginsBundles(environment.pluginsDir(), false),
                    Map.of());
            node = new Node(environment, plugins);
        } catch (Exception | Error e) {
            e.printStackTrace(console);
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop(node, console);
                            stopped.countDown();
                        },
                        "modelmarket-node-shutdown"));
        try {
            node.start();
        } catch (Exception | Error e) {
            e.printStackTrace(console);
            System.exit(1); // runs the hook, which closes what did start
        }
        console.println("node started");
        // Elasticsearch's threads are daemons (its own bootstrap keeps a keep-alive thread for this): without this
        // wait the JVM would exit right after start().
        stopped.await();
    }

    private static void stop(Node node, PrintStream console) {
        try {
            node.prepareForClose(); // lets in-flight requests finish, as the real shutdown does
            node.close();
            if (!node.awaitClose(5, TimeUnit.SECONDS)) {
                console.println("node did not close within 5 s; exiting anyway");
            }
        } catch (Exception e) {
            e.printStackTrace(console);
        }
    }
}
