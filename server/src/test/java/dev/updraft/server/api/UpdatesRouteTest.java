package dev.updraft.server.api;

import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static dev.updraft.server.api.Api.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /updates} is answered by a Vert.x route ahead of JAX-RS (device.UpdatesRoute) when the request needs no
 * negotiation, and by the resource otherwise: both must answer every case with the same status, headers and bytes.
 * A request with an Accept parameter always goes to the resource, which makes the two comparable here.
 */
@QuarkusTest
class UpdatesRouteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Negotiated by JAX-RS, so not taken by the route. */
    private static final String RESOURCE_ACCEPT = "application/json;q=1";

    @TestHTTPResource("/updates")
    URI updates;

    /** The management interface's root (as in OperationsTest). */
    @TestHTTPResource(value = "/q", management = true)
    URI management;

    private HttpResponse<byte[]> post(byte[] body, String accept, String acceptEncoding) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(updates)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (accept != null) {
            r.header("Accept", accept);
        }
        if (acceptEncoding != null) {
            r.header("Accept-Encoding", acceptEncoding);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The route's answer (no Accept, and an Accept the route takes) equals the resource's, byte for byte. */
    private void sameAnswers(byte[] body, String acceptEncoding, int status) throws Exception {
        HttpResponse<byte[]> resource = post(body, RESOURCE_ACCEPT, acceptEncoding);
        assertThat(resource.statusCode())
                .as(new String(resource.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        for (String accept : new String[] {null, "application/json", "*/*", "text/html, application/json"}) {
            HttpResponse<byte[]> route = post(body, accept, acceptEncoding);
            assertThat(route.statusCode()).as("Accept " + accept).isEqualTo(status);
            assertThat(route.body()).as("Accept " + accept).isEqualTo(resource.body());
            for (String h : List.of("Content-Type", "Content-Encoding", "Vary", "Retry-After")) {
                assertThat(route.headers().firstValue(h))
                        .as(h + " with Accept " + accept)
                        .isEqualTo(resource.headers().firstValue(h));
            }
        }
    }

    private static byte[] json(Map<String, Object> m) throws Exception {
        return JSON.writeValueAsBytes(m);
    }

    @Test
    void updateAndNoUpdateAnswersAreTheResourcesBytes() throws Exception {
        String app = newApp("route");
        bundle(app, "1.0.1");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        Map<String, Object> device = info(app, newDevice());
        sameAnswers(json(device), null, 200);
        sameAnswers(json(device), "gzip, deflate", 200);
        sameAnswers(json(with(device, "version_name", "1.0.1")), null, 200); // already on it: no update
    }

    @Test
    void refusalsAreTheResourcesJsonErrors() throws Exception {
        String app = newApp("route");
        sameAnswers(json(info("com.test.route.unknown" + newDevice().substring(0, 8), newDevice())), null, 429);
        sameAnswers(json(with(info(app, newDevice()), "device_id", null)), null, 400);
        sameAnswers("{not json".getBytes(StandardCharsets.UTF_8), null, 400);
        sameAnswers(new byte[0], null, 400);
        byte[] tooLarge = new byte[20 * 1024];
        java.util.Arrays.fill(tooLarge, (byte) ' ');
        sameAnswers(tooLarge, null, 413);
    }

    @Test
    void anAcceptWithoutJsonIsStillRefusedByNegotiation() throws Exception {
        HttpResponse<byte[]> r = post(json(info(newApp("route"), newDevice())), "text/html", null);
        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("not_acceptable");
    }

    @Test
    void aChunkedBodyIsReadWhole() throws Exception {
        String app = newApp("route");
        bundle(app, "1.0.1");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        byte[] body = json(info(app, newDevice()));
        HttpResponse<byte[]> whole = post(body, null, null);
        StringBuilder request = new StringBuilder("POST /updates HTTP/1.1\r\nHost: localhost\r\n")
                .append("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        int half = body.length / 2;
        for (byte[] part : new byte[][] {
            java.util.Arrays.copyOfRange(body, 0, half), java.util.Arrays.copyOfRange(body, half, body.length)
        }) {
            request.append(Integer.toHexString(part.length))
                    .append("\r\n")
                    .append(new String(part, StandardCharsets.ISO_8859_1))
                    .append("\r\n");
        }
        request.append("0\r\n\r\n");
        RawHttp.Answer chunked = RawHttp.exchange(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertThat(chunked.status()).as(chunked.toString()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo(new String(whole.body(), StandardCharsets.UTF_8));
    }

    /**
     * The route times what it answers in Quarkus's own series (device.UpdatesRouteTimer), and Quarkus's HTTP metrics
     * time what the resource answers: every request is counted once, under uri="/updates", whichever answered it.
     */
    @Test
    void everyAnswerIsCountedOnceInTheHttpMetrics() throws Exception {
        String app = newApp("route");
        bundle(app, "1.0.1");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        byte[] ok = json(info(app, newDevice()));
        byte[] bad = json(with(info(app, newDevice()), "device_id", null));
        double ok0 = count("SUCCESS", "200");
        double bad0 = count("CLIENT_ERROR", "400");
        for (int i = 0; i < 3; i++) {
            assertThat(post(ok, null, null).statusCode()).isEqualTo(200); // the route
        }
        assertThat(post(ok, RESOURCE_ACCEPT, null).statusCode()).isEqualTo(200); // the resource
        assertThat(post(bad, null, null).statusCode()).isEqualTo(400);
        assertThat(post(bad, RESOURCE_ACCEPT, null).statusCode()).isEqualTo(400);
        assertThat(count("SUCCESS", "200") - ok0).isEqualTo(4.0);
        assertThat(count("CLIENT_ERROR", "400") - bad0).isEqualTo(2.0);
        assertThat(scrape()).doesNotContain("timed-by");
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                "http://" + management.getHost() + ":" + management.getPort() + "/q/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** http_server_requests_seconds_count of POST /updates with this outcome and status (0 before the first). */
    private double count(String outcome, String status) throws Exception {
        Map<String, String> want = Map.of("method", "POST", "uri", "/updates", "outcome", outcome, "status", status);
        java.util.regex.Pattern label = java.util.regex.Pattern.compile("(\\w+)=\"([^\"]*)\"");
        double total = 0;
        for (String line : scrape().split("\n")) {
            if (!line.startsWith("http_server_requests_seconds_count{")) {
                continue;
            }
            Map<String, String> labels = new java.util.HashMap<>();
            java.util.regex.Matcher m = label.matcher(line.substring(0, line.indexOf('}')));
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
            if (labels.entrySet().containsAll(want.entrySet())) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
