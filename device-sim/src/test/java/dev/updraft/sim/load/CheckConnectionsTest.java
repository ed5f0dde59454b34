package dev.updraft.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load mode's own HTTP/1.1 check connections against a socket server that answers exactly as told. */
class CheckConnectionsTest {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private RawServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** What an exchange ended with. */
    record Outcome(int status, String body, boolean failed, boolean timedOut) {}

    private CheckConnections connections(int port, long timeoutMs) {
        return new CheckConnections(
                loop,
                NioSocketChannel::new,
                URI.create("http://127.0.0.1:" + port + "/updates?x=1"),
                "plugin/8.51.23",
                timeoutMs);
    }

    private static Outcome send(EventLoop loop, CheckConnections c, String body) throws Exception {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        ByteBuf b = Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8));
        loop.execute(() -> c.send(b, new CheckConnections.Exchange() {
            @Override
            public void answered(int status, ByteBuf answer, long micros) {
                done.complete(new Outcome(status, answer.toString(StandardCharsets.UTF_8), false, false));
            }

            @Override
            public void failed(boolean timedOut, Throwable cause, long micros) {
                done.complete(new Outcome(-1, String.valueOf(cause), true, timedOut));
            }
        }));
        return done.get(10, TimeUnit.SECONDS);
    }

    private static String answer(String extraHeaders, String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + extraHeaders + "\r\n" + body;
    }

    @Test
    void keepAliveAnswersReuseOneConnection_andTheRequestIsAPlainHttpPost() throws Exception {
        server = new RawServer(
                req -> answer("", "{\"version\":\"1.0.1\",\"n\":" + req.body().length() + "}"));
        CheckConnections c = connections(server.port(), 5000);
        for (int i = 0; i < 5; i++) {
            Outcome o = send(loop, c, "{\"device_id\":\"d" + i + "\"}");
            assertThat(o.failed()).as(o.body()).isFalse();
            assertThat(o.status()).isEqualTo(200);
            assertThat(o.body()).isEqualTo("{\"version\":\"1.0.1\",\"n\":18}");
        }
        assertThat(server.connections())
                .as("one keep-alive connection for five checks")
                .isEqualTo(1);
        RawServer.Request first = server.requests().get(0);
        assertThat(first.head())
                .startsWith("POST /updates?x=1 HTTP/1.1\r\n")
                .contains("Host: 127.0.0.1:" + server.port() + "\r\n")
                .contains("Content-Type: application/json; charset=utf-8\r\n")
                .contains("User-Agent: plugin/8.51.23\r\n")
                .contains("Content-Length: 18\r\n");
        assertThat(server.requests()).extracting(RawServer.Request::body).contains("{\"device_id\":\"d4\"}");
        loop.submit(c::close).get();
    }

    @Test
    void anAnswerThatClosesTheConnection_thenChunkedAndErrorAnswers_areAllRead() throws Exception {
        AtomicInteger n = new AtomicInteger();
        server = new RawServer(req -> switch (n.incrementAndGet()) {
            case 1 -> answer("Connection: close\r\n", "{\"a\":1}");
            case 2 -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"b\"\r\n3\r\n:2}\r\n0\r\n\r\n";
            default -> "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n";
        });
        CheckConnections c = connections(server.port(), 5000);
        assertThat(send(loop, c, "{}")).isEqualTo(new Outcome(200, "{\"a\":1}", false, false));
        assertThat(send(loop, c, "{}")).isEqualTo(new Outcome(200, "{\"b\":2}", false, false));
        assertThat(send(loop, c, "{}")).isEqualTo(new Outcome(429, "", false, false));
        assertThat(server.connections())
                .as("a new connection after the closing answer")
                .isEqualTo(2);
        loop.submit(c::close).get();
    }

    @Test
    void noAnswerTimesOut_garbageAndARefusedConnectionFail_andTheNextCheckWorks() throws Exception {
        AtomicInteger n = new AtomicInteger();
        server = new RawServer(req -> switch (n.incrementAndGet()) {
            case 1 -> null; // never answers
            case 2 -> "this is not HTTP\r\n\r\n";
            default -> answer("", "{}");
        });
        CheckConnections c = connections(server.port(), 300);
        java.util.concurrent.ScheduledFuture<?> sweeper =
                loop.scheduleAtFixedRate(c::sweep, 50, 50, TimeUnit.MILLISECONDS);
        Outcome silent = send(loop, c, "{}");
        assertThat(silent.failed()).isTrue();
        assertThat(silent.timedOut()).isTrue();
        Outcome garbage = send(loop, c, "{}");
        assertThat(garbage.failed()).as(garbage.toString()).isTrue();
        assertThat(garbage.timedOut()).isFalse();
        assertThat(send(loop, c, "{}")).isEqualTo(new Outcome(200, "{}", false, false));
        sweeper.cancel(false);
        loop.submit(c::close).get();

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CheckConnections refused = connections(closedPort, 1000);
        Outcome o = send(loop, refused, "{}");
        assertThat(o.failed()).isTrue();
        assertThat(o.timedOut()).isFalse();
        assertThat(o.body()).contains("Connection refused");
    }

    @Test
    void aLargeAnswerInManyPiecesIsReadWhole_oneOverTheLimitFails_andTheNextCheckWorks() throws Exception {
        String large = "{\"x\":\"" + "a".repeat(600_000) + "\"}"; // arrives in many socket reads
        String tooLarge = "{\"x\":\"" + "b".repeat(1_100_000) + "\"}"; // over the 1 MiB an answer may be
        AtomicInteger n = new AtomicInteger();
        server = new RawServer(req -> switch (n.incrementAndGet()) {
            case 1 -> answer("", large);
            case 2 -> answer("", tooLarge);
            default -> answer("", "{}");
        });
        CheckConnections c = connections(server.port(), 5000);
        assertThat(send(loop, c, "{}")).isEqualTo(new Outcome(200, large, false, false));
        Outcome over = send(loop, c, "{}");
        assertThat(over.failed()).as(over.toString()).isTrue();
        assertThat(over.body()).contains("1048576");
        assertThat(send(loop, c, "{}")).isEqualTo(new Outcome(200, "{}", false, false));
        loop.submit(c::close).get();
    }

    @Test
    void onlyPlainHttpIsTaken() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CheckConnections(
                        loop, NioSocketChannel::new, URI.create("https://example.com/updates"), "ua", 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain http only");
    }

    /** A socket server: reads each HTTP/1.1 request (Content-Length bodies) and writes what {@code reply} says. */
    static final class RawServer implements AutoCloseable {
        record Request(String head, String body) {}

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();

        RawServer(Function<Request, String> reply) throws IOException {
            Thread acceptor = new Thread(
                    () -> {
                        while (!socket.isClosed()) {
                            try {
                                Socket s = socket.accept();
                                connections.incrementAndGet();
                                open.add(s);
                                Thread t = new Thread(() -> serve(s, reply), "raw-server-conn");
                                t.setDaemon(true);
                                t.start();
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "raw-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(Socket s, Function<Request, String> reply) {
            try (s;
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream()) {
                while (true) {
                    Request r = read(in);
                    if (r == null) {
                        return;
                    }
                    requests.add(r);
                    String a = reply.apply(r);
                    if (a == null) {
                        in.transferTo(OutputStream.nullOutputStream()); // hold the connection, answer nothing
                        return;
                    }
                    out.write(a.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (a.contains("Connection: close")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private static Request read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            for (int b; matched < 4; ) {
                if ((b = in.read()) < 0) {
                    return null;
                }
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : h.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            return new Request(h, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        List<Request> requests() {
            return new ArrayList<>(requests);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
