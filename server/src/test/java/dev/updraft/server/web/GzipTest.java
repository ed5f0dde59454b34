package dev.updraft.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.GzipBody;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which {@code Accept-Encoding} headers get a gzip answer, row by row (RFC 9110 §12.5.3). */
class GzipTest {
    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "NULL | false",
                "'' | false",
                "gzip | true",
                "GZIP | true",
                "x-gzip | true",
                "gzip, deflate, br | true",
                "br;q=1.0, gzip;q=0.8 | true",
                "gzip;q=0 | false",
                "gzip;q=0.0, deflate | false",
                "gzip;q=oops | false",
                "deflate, br | false",
                "identity | false",
                "* | true",
                "*;q=0 | false",
                "gzip;q=0, * | false",
            })
    void acceptEncoding(String header, boolean gzip) {
        assertThat(Gzip.accepted(header)).isEqualTo(gzip);
    }

    @Test
    void compressDecodesToTheSameBytes() throws Exception {
        byte[] json = "{\"manifest\":[]}".repeat(200).getBytes(StandardCharsets.UTF_8);
        byte[] gz = GzipBody.compress(json);
        assertThat(gz.length).isLessThan(json.length);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes())
                .isEqualTo(json);
    }
}
