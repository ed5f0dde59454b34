package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {
    @Test
    void portsComeFromBelowTheEphemeralRange_neverTwice_andCanBeBound() throws Exception {
        int ephemeralLow = FreePort.ephemeralLow();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePort.find();
            assertThat(port).isBetween(20_000, ephemeralLow - 1);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
        int port = FreePort.find();
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aPortInUseIsNotHandedOut() throws Exception {
        // Hold many ports of the range; none of them may come back.
        Set<Integer> held = new HashSet<>();
        java.util.List<ServerSocket> sockets = new java.util.ArrayList<>();
        try {
            for (int p = 20_000; p < 20_000 + 500; p++) {
                try {
                    sockets.add(new ServerSocket(p, 1, InetAddress.getLoopbackAddress()));
                    held.add(p);
                } catch (java.io.IOException busy) {
                    // someone else has it: equally not to be handed out
                    held.add(p);
                }
            }
            for (int i = 0; i < 300; i++) {
                assertThat(held).doesNotContain(FreePort.find());
            }
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
