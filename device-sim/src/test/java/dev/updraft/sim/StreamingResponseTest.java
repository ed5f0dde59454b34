package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A download's body over real loopback HTTP: large pieces, memory bounded by bytes while the reader is slow, whole. */
class StreamingResponseTest {
    private static final int BODY = 8 << 20;
    private static final byte[] DATA = new byte[BODY];
    private static Vertx vertx;
    private static HttpServer server;
    private static DeviceHttp http;

    @BeforeAll
    static void start() throws Exception {
        new Random(7).nextBytes(DATA);
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(req -> req.response()
                        .putHeader("Content-Length", String.valueOf(BODY))
                        .end(Buffer.buffer(DATA)))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        http = DeviceHttp.create();
    }

    @AfterAll
    static void stop() {
        http.close();
        vertx.close();
    }

    @Test
    void aSlowReaderHoldsAboutTheHighWaterMarkAndStillGetsTheWholeBodyInLargePieces() throws Exception {
        String url = "http://127.0.0.1:" + server.actualPort() + "/bundle.zip";
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        int largest = 0;
        int pieces = 0;
        try (StreamingResponse r = http.stream(url, Map.of(), 10_000)) {
            assertThat(r.status()).isEqualTo(200);
            Buffer first = r.read(10_000, () -> false);
            sha.update(first.getBytes());
            total += first.length();
            Thread.sleep(500); // the reader falls behind: the connection must pause
            assertThat(r.queuedBytes())
                    .as("bytes queued while nobody reads")
                    .isGreaterThan(0)
                    .isLessThanOrEqualTo(StreamingResponse.HIGH_WATER_BYTES + DeviceHttp.DOWNLOAD_CHUNK);
            for (Buffer b; (b = r.read(10_000, () -> false)) != null; ) {
                sha.update(b.getBytes());
                total += b.length();
                largest = Math.max(largest, b.length());
                if (++pieces % 16 == 0) {
                    Thread.sleep(5); // slow again: pause and resume many times
                }
            }
        }
        assertThat(total).isEqualTo(BODY);
        assertThat(sha.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(DATA));
        assertThat(largest)
                .as("pieces larger than Vert.x's default 8 KB, at most the download chunk")
                .isGreaterThan(8192)
                .isLessThanOrEqualTo(DeviceHttp.DOWNLOAD_CHUNK);
    }
}
