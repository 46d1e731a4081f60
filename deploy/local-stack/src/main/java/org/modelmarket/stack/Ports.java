package org.modelmarket.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback port helpers: a free port for tests, and a clear error when a fixed port is taken. */
public final class Ports {

    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {}

    /** Where free ports are looked for when the kernel's ephemeral range leaves no room below it. */
    private static final int LOWEST = 10_000;

    /** Ports this JVM handed out: two engines or services of one run never get the same one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port that is free on 127.0.0.1 right now, below the kernel's ephemeral range. A port from that range (what
     * binding port 0 gives) is also what the kernel hands any outgoing connection as its local port: the engine or
     * service it was chosen for opens its own connections (to PostgreSQL, Kafka) before it binds its listener, and one
     * of them could take the port first, so the listener fails with "address in use" (seen in a benchmark run).
     */
    public static int free() {
        int[] ephemeral = ephemeralRange();
        int below = Math.min(ephemeral[0], 65_536);
        if (below - LOWEST >= 1_000) {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
                if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        // No room below the ephemeral range (or it is full): whatever port the kernel gives.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("Cannot find a free port on " + LOOPBACK + ": " + e.getMessage(), e);
        }
    }

    /** The kernel's ephemeral port range (Linux), or the IANA one where it cannot be read. */
    static int[] ephemeralRange() {
        try {
            // A line read to its end: Files.readString trusts the size /proc reports and can return a part of it.
            String line;
            try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                line = reader.readLine();
            }
            String[] bounds = line.trim().split("\\s+");
            return new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {49_152, 65_535};
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code port} itself, or a free one when it is 0; fails with a one-line message when a fixed port is taken. */
    public static int claim(int port, String what) {
        if (port == 0) {
            return free();
        }
        if (inUse(port)) {
            throw new StackException("Port " + port + " for " + what + " is already in use on " + LOOPBACK
                    + ": stop whatever holds it (e.g. `ss -ltnp 'sport = :" + port + "'`) or choose another port");
        }
        return port;
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port}. */
    public static boolean inUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
