package dev.updraft.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP port free on loopback right now, for a server started a moment later.
 *
 * <p>The port is drawn below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), never from it: a
 * port the kernel handed out as "any free port" can be handed out again, before the server binds it, as the local
 * port of an outgoing connection (a load run opens thousands) or to an embedded PostgreSQL that also asks for any
 * free port. Both happened: a second server failed with "port in use". Ports handed out by this JVM are never handed
 * out again, so two servers started together do not draw the same one.
 */
public final class FreePort {
    private static final int LOWEST = 20_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePort() {}

    public static synchronized int find() {
        int highest = ephemeralLow() - 1;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(LOWEST, highest + 1);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new UncheckedIOException(
                new IOException("no free TCP port between " + LOWEST + " and " + highest + " after 200 tries"));
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the ephemeral range; Linux's default when the setting cannot be read. */
    static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            int low = Integer.parseInt(range.trim().split("\\s+")[0]);
            return low > LOWEST + 1_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
