package org.modelmarket.stack.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.jboss.logging.Logger;
import org.modelmarket.stack.ChildProcess;
import org.modelmarket.stack.Engine;
import org.modelmarket.stack.Http;
import org.modelmarket.stack.Jdk;
import org.modelmarket.stack.ModelMarketHome;
import org.modelmarket.stack.Ports;
import org.modelmarket.stack.StackConfig;
import org.modelmarket.stack.StackException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Keycloak server ({@code kc.sh start-dev}) on loopback with the {@code modelmarket} realm imported, its data kept in a chosen folder.
 */
public final class KeycloakEngine implements Engine {

    public static final String REALM = "modelmarket";

    private static final Logger LOG = Logger.getLogger(KeycloakEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final String BUILT_MARKER = ".modelmarket-built";
    /** Serialises unpack and first build inside this JVM; the file lock alone throws when one JVM locks twice. */
    private static final Object CACHE_MONITOR = new Object();

    private final int requestedPort;
    private final Path workDir;
    private int port;
    private int managementPort;
    private ChildProcess process;

    /** @param httpPort the HTTP port, 0 for a free one; @param workDir where the H2 database, transaction logs and the log file live */
    public KeycloakEngine(int httpPort, Path workDir) {
        this.requestedPort = httpPort;
        this.workDir = workDir.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return "keycloak";
    }

    @Override
    public void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        port = Ports.claim(requestedPort, "Keycloak");
        managementPort = Ports.free();
        Path zip = ModelMarketHome.engine("keycloak").resolve("keycloak.zip");
        Path realmFile = ModelMarketHome.root().resolve("deploy/keycloak/modelmarket-realm.json");
        if (!Files.isRegularFile(realmFile)) {
            throw new StackException("The realm file " + realmFile + " is missing");
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new StackException("Cannot create the Keycloak work folder " + workDir + ": " + e.getMessage(), e);
        }

        // Outside target/, so that `mvn clean` costs neither another unpack nor another ~50 s first-start build.
        Path cacheRoot = StackConfig.defaultCache().toAbsolutePath().normalize();
        try {
            Files.createDirectories(cacheRoot);
        } catch (IOException e) {
            throw new StackException("Cannot create the cache folder " + cacheRoot + ": " + e.getMessage(), e);
        }
        synchronized (CACHE_MONITOR) {
            try (FileChannel lockFile = FileChannel.open(
                            cacheRoot.resolve("keycloak.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                Path home = unpackOnce(zip, cacheRoot);
                installRealm(realmFile, home);
                boolean built = Files.exists(home.resolve(BUILT_MARKER));
                launch(home);
                if (!built) {
                    // The first start-dev re-augments the distribution in place (lib/quarkus): a second server starting
                    // meanwhile,
                    // from another test JVM or the local run, would rebuild the same files, so the lock is held until
                    // this one is up.
                    awaitReady();
                    Files.writeString(
                            home.resolve(BUILT_MARKER),
                            "built by " + ProcessHandle.current().pid() + "\n");
                    return;
                }
            } catch (IOException e) {
                close();
                throw new StackException("Cannot prepare Keycloak in " + cacheRoot + ": " + e.getMessage(), e);
            }
        }
        awaitReady();
    }

    private void launch(Path home) {
        List<String> command = List.of(
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--import-realm",
                "--http-host=" + Ports.LOOPBACK,
                "--http-port=" + port,
                // Keycloak otherwise binds 9000, which a second instance (tests beside the local run) would find taken.
                "--http-management-port=" + managementPort,
                // A fixed hostname makes the token issuer the same whichever name a browser or a service uses to reach
                // it.
                "--hostname=" + url(),
                // dev-file H2 lives in ${kc.db-url-path}/data/h2, by default inside the shared cache; each run keeps
                // its own.
                "-Dkc.db-url-path=" + workDir,
                // Likewise the Narayana object store, so that two servers never share one.
                "-Dquarkus.transaction-manager.object-store.directory=" + workDir.resolve("data/transaction-logs"));
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVA_HOME", Jdk.home().toString());
        // kc.sh would take a caller's JAVA_OPTS instead of its own defaults (heap, add-opens); empty means "use the
        // defaults".
        environment.put("JAVA_OPTS", "");
        // C1 only: measured ~35% less CPU to ready and ~60 MB less RSS; a local server's throughput does not matter,
        // cores are shared.
        environment.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
        // Local-only bootstrap administrator of the master realm, created on the first start of an empty database.
        environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        process = ChildProcess.start(name(), command, workDir, environment, workDir.resolve("keycloak.log"));
        LOG.infof("Keycloak starting on %s (pid %d, data %s)", url(), process.pid(), workDir);
    }

    private void awaitReady() {
        String probe = realmUrl() + "/.well-known/openid-configuration";
        process.awaitReady(START_TIMEOUT, () -> Http.status(probe) == 200);
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    public int port() {
        return port;
    }

    /** The management interface's port (health and metrics when enabled), moved off Keycloak's default 9000. */
    public int managementPort() {
        return managementPort;
    }

    /** kc.sh and the Keycloak JVM it forked. */
    @Override
    public List<ProcessHandle> processes() {
        return process != null && process.isAlive() ? process.processTree() : List.of();
    }

    @Override
    public List<Integer> ports() {
        return process != null ? List.of(port, managementPort) : List.of();
    }

    /** The process id of the launcher script, whose descendants include Keycloak's JVM. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public String url() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    /** The realm's base URL, which is also the {@code iss} of its tokens. */
    public String realmUrl() {
        return url() + "/realms/" + REALM;
    }

    /** A raw access token for a user (password grant; the client needs direct access grants, e.g. modelmarket-web). */
    public String passwordToken(String clientId, String username, String password) {
        return token(
                Map.of(
                        "grant_type",
                        "password",
                        "client_id",
                        clientId,
                        "username",
                        username,
                        "password",
                        password,
                        "scope",
                        "openid"),
                "user " + username + " via " + clientId);
    }

    /** A raw access token for a confidential client's service account (client-credentials grant). */
    public String clientCredentialsToken(String clientId, String secret) {
        return token(
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret),
                "client " + clientId);
    }

    private String token(Map<String, String> form, String who) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response =
                Http.send(HttpRequest.newBuilder(URI.create(realmUrl() + "/protocol/openid-connect/token"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
        try {
            JsonNode json = JSON.readTree(response.body());
            if (response.statusCode() == 200 && json.hasNonNull("access_token")) {
                return json.get("access_token").asText();
            }
            throw new StackException("Keycloak refused a token for " + who + ": HTTP " + response.statusCode() + " "
                    + json.path("error").asText() + " ("
                    + json.path("error_description").asText() + ")");
        } catch (IOException e) {
            throw new StackException(
                    "Keycloak answered a token request for " + who + " with HTTP " + response.statusCode()
                            + " and no JSON: " + response.body(),
                    e);
        }
    }

    /** The unpacked distribution in the cache, unpacking it first when absent; a temporary folder renamed at the end never leaves half a copy. */
    private static Path unpackOnce(Path zip, Path cacheRoot) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            String top = topFolder(archive, zip);
            Path home = cacheRoot.resolve(top);
            if (Files.isRegularFile(home.resolve("bin/kc.sh"))) {
                return home;
            }
            LOG.infof("Unpacking %s into %s (once)", zip.getFileName(), home);
            Path temp = cacheRoot.resolve("." + top + ".unpacking-" + UUID.randomUUID());
            try {
                extract(archive, temp);
                Path unpacked = temp.resolve(top);
                // Java's zip reader drops Unix modes; only the launch scripts need the executable bit.
                try (Stream<Path> scripts = Files.list(unpacked.resolve("bin"))) {
                    scripts.filter(p -> p.toString().endsWith(".sh"))
                            .forEach(p -> p.toFile().setExecutable(true, false));
                }
                try {
                    Files.move(unpacked, home, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                    if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
                        throw raced;
                    }
                }
            } finally {
                deleteTree(temp);
            }
            return home;
        }
    }

    private static String topFolder(ZipFile archive, Path zip) {
        Enumeration<? extends ZipEntry> entries = archive.entries();
        if (!entries.hasMoreElements()) {
            throw new StackException(zip + " is empty");
        }
        String first = entries.nextElement().getName();
        int slash = first.indexOf('/');
        if (slash <= 0) {
            throw new StackException(zip + " does not hold a single top folder as the Keycloak distribution does");
        }
        return first.substring(0, slash);
    }

    private static void extract(ZipFile archive, Path target) throws IOException {
        Enumeration<? extends ZipEntry> entries = archive.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            Path out = target.resolve(entry.getName()).normalize();
            if (!out.startsWith(target)) {
                throw new StackException("Refusing zip entry outside the target folder: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(out);
            } else {
                Files.createDirectories(out.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Puts the realm file where {@code --import-realm} looks (data/import of the distribution). The folder is shared by every server
     * started from the cache, so the file is replaced atomically and only when it changed; an existing realm is skipped on import.
     */
    private static void installRealm(Path realmFile, Path home) throws IOException {
        Path importDir = home.resolve("data/import");
        Files.createDirectories(importDir);
        Path installed = importDir.resolve(realmFile.getFileName());
        byte[] wanted = Files.readAllBytes(realmFile);
        if (Files.isRegularFile(installed) && java.util.Arrays.equals(wanted, Files.readAllBytes(installed))) {
            return;
        }
        Path temp = importDir.resolve("." + realmFile.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.write(temp, wanted);
        Files.move(temp, installed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths =
                    new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path path : paths) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Could not delete %s: %s", root, e.getMessage());
        }
    }
}
