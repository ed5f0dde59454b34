package dev.updraft.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook's pure parts: the retry schedule, the URL rule, and the signature against an HMAC computed here. */
class WebhookPartsTest {
    static final Backoff SCHEDULE = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(2));

    @ParameterizedTest(name = "after {0} failed attempts: {1} s")
    @CsvSource({"1, 10", "2, 20", "3, 40", "4, 80", "5, 120", "6, 120", "40, 120"})
    void retriesDoubleUpToTheCap(int attempts, long seconds) {
        assertThat(SCHEDULE.after(attempts)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void badSchedules_areRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .hasMessageContaining("cap");
        assertThatThrownBy(() -> SCHEDULE.after(0)).hasMessageContaining("attempts");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"https://hooks.example.com/updraft", "http://127.0.0.1:8081/hook?x=1", "HTTPS://EXAMPLE.COM"})
    void acceptedUrls(String url) {
        assertThat(WebhookUrl.problem(url)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ftp://example.com/hook|http or https",
                "file:///etc/passwd|http or https",
                "javascript:alert(1)|http or https",
                "/relative/path|http or https",
                "https:///no-host|host",
                "https://user:pass@example.com/|user name or password",
                "https://example.com/#frag|fragment",
                "https://exa mple.com/|not a valid URL",
                "' '|required",
            })
    void refusedUrls(String url, String reason) {
        assertThat(WebhookUrl.problem(url.equals("' '") ? " " : url))
                .get()
                .asString()
                .contains(reason);
        assertThat(WebhookUrl.problem("https://example.com/" + "a".repeat(2100)))
                .get()
                .asString()
                .contains("2048");
    }

    @Test
    void theSignatureIsHmacSha256OfTimeDotBody_andVerifiesOnlyWithinTheWindow() throws Exception {
        byte[] body = "{\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);
        Instant at = Instant.ofEpochSecond(1_764_600_000L);
        String header = WebhookSignature.header("s3cret-s3cret-s3cret", at, body);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret-s3cret-s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of()
                .formatHex(mac.doFinal(("1764600000." + "{\"id\":\"e1\"}").getBytes(StandardCharsets.UTF_8)));
        assertThat(header).isEqualTo("t=1764600000,v1=" + expected);

        Duration window = Duration.ofMinutes(5);
        assertThat(WebhookSignature.verify(header, "s3cret-s3cret-s3cret", body, at.plusSeconds(299), window))
                .isTrue();
        assertThat(WebhookSignature.verify(header, "s3cret-s3cret-s3cret", body, at.plusSeconds(301), window))
                .as("replayed later")
                .isFalse();
        assertThat(WebhookSignature.verify(header, "another-secret-xx", body, at, window))
                .isFalse();
        assertThat(WebhookSignature.verify(
                        header, "s3cret-s3cret-s3cret", "{\"id\":\"e2\"}".getBytes(StandardCharsets.UTF_8), at, window))
                .as("another body")
                .isFalse();
        assertThat(WebhookSignature.verify(
                        header.replace("t=1764600000", "t=1764600001"), "s3cret-s3cret-s3cret", body, at, window))
                .as("another time")
                .isFalse();
        assertThat(WebhookSignature.verify("t=x,v1=zz", "s3cret-s3cret-s3cret", body, at, window))
                .isFalse();
        assertThat(WebhookSignature.verify(null, "s3cret-s3cret-s3cret", body, at, window))
                .isFalse();
    }
}
