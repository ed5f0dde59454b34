package dev.updraft.sim.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load mode's update checks over plain-HTTP/1.1 keep-alive connections of one event loop, on Netty directly: the
 * request is the head prepared once plus the device's encoded info object, the answer goes through Netty's response
 * decoder and {@code AnswerHandler}, which gathers its body, and one sweep per worker times exchanges out instead of a
 * timer per request. The general client (pool, futures, a timer and header map per request) cost the generator
 * 130-260 µs of CPU a check on the server's two cores, about five times wrk's 26 µs (docs/simulator.md, "Load mode").
 * Everything here runs on the event loop given: nothing is shared with another thread.
 */
final class CheckConnections {
    /** How an exchange ended; called on the event loop, once per {@link #send}. */
    interface Exchange {
        /** An HTTP answer, any status; {@code body} is valid only during the call. */
        void answered(int status, ByteBuf body, long micros);

        void failed(boolean timedOut, Throwable cause, long micros);
    }

    private static final int MAX_ANSWER_BYTES = 1 << 20;

    private final Bootstrap bootstrap;
    private final InetSocketAddress address;
    private final byte[] headPrefix;
    private final long timeoutNanos;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final List<Connection> all = new ArrayList<>();
    private final Map<Integer, ByteBuf> heads = new HashMap<>(); // the head for each body length met
    private boolean closed;

    CheckConnections(
            EventLoop loop,
            ChannelFactory<? extends Channel> channels,
            URI updateUrl,
            String userAgent,
            long timeoutMs) {
        if (!"http".equalsIgnoreCase(updateUrl.getScheme())) {
            throw new IllegalArgumentException("plain http only: " + updateUrl);
        }
        this.timeoutNanos = timeoutMs * 1_000_000L;
        int port = updateUrl.getPort() > 0 ? updateUrl.getPort() : 80;
        this.address = new InetSocketAddress(updateUrl.getHost(), port);
        String path = updateUrl.getRawPath() == null || updateUrl.getRawPath().isEmpty() ? "/" : updateUrl.getRawPath();
        if (updateUrl.getRawQuery() != null) {
            path += "?" + updateUrl.getRawQuery();
        }
        String host = updateUrl.getHost() + (updateUrl.getPort() > 0 ? ":" + updateUrl.getPort() : "");
        this.headPrefix = ("POST " + path + " HTTP/1.1\r\n"
                        + "Host: " + host + "\r\n"
                        + "Content-Type: application/json; charset=utf-8\r\n"
                        + "User-Agent: " + userAgent + "\r\n"
                        + "Content-Length: ")
                .getBytes(StandardCharsets.ISO_8859_1);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(channels)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMs))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpResponseDecoder()).addLast(new AnswerHandler());
                    }
                });
    }

    /** POSTs {@code body} (not consumed) on an idle connection, or a new one; {@code done} hears how it ended. */
    void send(ByteBuf body, Exchange done) {
        Connection c = idle.pollFirst();
        if (c == null) {
            c = new Connection();
            all.add(c);
        }
        c.start(body, done);
    }

    /** Times out the exchanges older than the timeout (the worker calls it a few times a second). */
    void sweep() {
        long now = System.nanoTime();
        for (Connection c : all) { // failing an exchange never changes the list
            if (c.exchange != null && now - c.startedNanos > timeoutNanos) {
                c.fail(true, new SocketTimeoutException("no answer within " + timeoutNanos / 1_000_000 + " ms"));
            }
        }
    }

    /** Closes every connection; exchanges in flight fail. */
    void close() {
        closed = true;
        for (Connection c : all) {
            c.fail(false, new ClosedChannelException());
        }
        all.clear();
        idle.clear();
        heads.values().forEach(ByteBuf::release);
        heads.clear();
    }

    private ByteBuf head(int bodyLength) {
        return heads.computeIfAbsent(bodyLength, n -> {
            byte[] tail = (n + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            ByteBuf b = Unpooled.buffer(headPrefix.length + tail.length);
            b.writeBytes(headPrefix).writeBytes(tail);
            return Unpooled.unreleasableBuffer(b.asReadOnly());
        });
    }

    /** One keep-alive connection and the exchange on it, if any. */
    private final class Connection {
        private Channel channel;
        private Exchange exchange;
        private long startedNanos;

        void start(ByteBuf body, Exchange done) {
            exchange = done;
            startedNanos = System.nanoTime();
            ByteBuf request = Unpooled.wrappedBuffer(head(body.readableBytes()).duplicate(), body.retainedDuplicate());
            if (channel != null && channel.isActive()) {
                write(request);
                return;
            }
            dropChannel(); // closed by the server while idle: its close listener must not fail this exchange
            ChannelFuture connecting = bootstrap.connect(address);
            connecting.addListener(f -> {
                if (!f.isSuccess()) {
                    request.release();
                    if (exchange == done) {
                        fail(false, f.cause());
                    }
                    return;
                }
                Channel ch = connecting.channel();
                if (exchange != done || closed) { // timed out or closed while connecting
                    request.release();
                    ch.close();
                    return;
                }
                channel = ch;
                ch.pipeline().get(AnswerHandler.class).connection = this;
                ch.closeFuture().addListener(cf -> {
                    if (channel == ch) {
                        channel = null;
                        fail(false, new ClosedChannelException()); // a no-op unless an exchange was in flight
                    }
                });
                write(request);
            });
        }

        private void write(ByteBuf request) {
            channel.writeAndFlush(request).addListener(w -> {
                if (!w.isSuccess()) {
                    fail(false, w.cause());
                }
            });
        }

        void answered(HttpResponse r, ByteBuf body) {
            Exchange done = exchange;
            if (done == null) {
                return; // an answer after its exchange timed out: the connection was closed
            }
            exchange = null;
            long micros = (System.nanoTime() - startedNanos) / 1000;
            boolean keep = HttpUtil.isKeepAlive(r) && !closed;
            if (!keep) {
                dropChannel();
            }
            idle.addLast(this);
            done.answered(r.status().code(), body, micros);
        }

        void fail(boolean timedOut, Throwable cause) {
            Exchange done = exchange;
            dropChannel();
            if (done == null) {
                return;
            }
            exchange = null;
            if (!closed) {
                idle.addLast(this);
            }
            done.failed(timedOut, cause, (System.nanoTime() - startedNanos) / 1000);
        }

        private void dropChannel() {
            Channel ch = channel;
            channel = null; // first: the close listener then sees a channel no longer ours
            if (ch != null) {
                ch.close();
            }
        }
    }

    /**
     * Gathers each answer's body and hands it to its connection; a broken connection or an answer over
     * {@code MAX_ANSWER_BYTES} fails its exchange. Netty's aggregator did this before, at the cost of a composite
     * buffer per answer (about a tenth of the generator's CPU, docs/simulator.md "Load mode"): an answer's body
     * nearly always comes in one piece, which is passed on as it is.
     */
    private static final class AnswerHandler extends SimpleChannelInboundHandler<HttpObject> {
        private Connection connection;
        private HttpResponse head; // the answer being read
        private ByteBuf body; // its body so far (retained), or null

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg.decoderResult().isFailure()) {
                broken(ctx, msg.decoderResult().cause());
                return;
            }
            if (msg instanceof HttpResponse r) {
                head = r;
            }
            if (!(msg instanceof HttpContent content)) {
                return;
            }
            ByteBuf part = content.content();
            if (part.isReadable()) {
                if (body == null) {
                    body = part.retain();
                } else {
                    if (!(body instanceof CompositeByteBuf)) {
                        body = ctx.alloc().compositeBuffer().addComponent(true, body);
                    }
                    ((CompositeByteBuf) body).addComponent(true, part.retain());
                }
                if (body.readableBytes() > MAX_ANSWER_BYTES) {
                    broken(ctx, new TooLongFrameException("an answer over " + MAX_ANSWER_BYTES + " bytes"));
                    return;
                }
            }
            if (msg instanceof LastHttpContent) {
                HttpResponse r = head;
                ByteBuf b = body == null ? Unpooled.EMPTY_BUFFER : body;
                head = null;
                body = null;
                try {
                    if (connection != null && r != null) {
                        connection.answered(r, b);
                    }
                } finally {
                    b.release();
                }
            }
        }

        private void broken(ChannelHandlerContext ctx, Throwable cause) {
            discardBody();
            if (connection != null) {
                connection.fail(false, cause);
            }
            ctx.close();
        }

        private void discardBody() {
            head = null;
            if (body != null) {
                body.release();
                body = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            discardBody(); // the connection's close listener fails an exchange in flight
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            broken(ctx, cause);
        }
    }
}
