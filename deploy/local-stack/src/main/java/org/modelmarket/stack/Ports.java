package org.modelmarket.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback port helpers: a free port for tests, and a clear error when a fixed port is taken. */
public final class Ports {

    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {}

    /** A port that is free on 127.0.0.1 right now. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("Cannot find a free port on " + LOOPBACK + ": " + e.getMessage(), e);
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
