package org.modelmarket.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void freePortsLieBelowTheEphemeralRangeAreDistinctAndBindable() throws Exception {
        int[] ephemeral = Ports.ephemeralRange();
        assertThat(ephemeral[0]).isLessThanOrEqualTo(ephemeral[1]);
        Path linux = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (Files.isReadable(linux)) {
            // what the kernel says, not the fallback
            assertThat(ephemeral)
                    .containsExactly(Arrays.stream(
                                    Files.readAllLines(linux).get(0).trim().split("\\s+"))
                            .mapToInt(Integer::parseInt)
                            .toArray());
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Ports.free();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            if (ephemeral[0] - 10_000 >= 1_000) {
                assertThat(port).isBetween(10_000, ephemeral[0] - 1);
            }
        }
        int port = Ports.free();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(Ports.LOOPBACK, port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
