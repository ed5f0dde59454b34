package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The body of {@code POST /updates/manifest_size} (docs/protocol.md §2.8): info object, {@code version}, {@code manifest}. */
class ManifestSizeRequestTest {
    private static final String INFO =
            "\"app_id\":\"com.example.app\",\"device_id\":\"6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f\","
                    + "\"platform\":\"android\",\"version_build\":\"1.0.0\",\"version_name\":\"1.0.1\",\"plugin_version\":\"8.51.23\"";

    private static ManifestSize.Request parse(String json) {
        return ManifestSize.Request.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theInfoObjectTheVersionAndTheEntries() {
        ManifestSize.Request r = parse(
                "{" + INFO + ",\"version\":\"1.0.2\",\"manifest\":[{\"file_name\":\"index.html\",\"file_hash\":\"aa\","
                        + "\"download_url\":\"https://x/i\"},{\"file_name\":\"a.js.br\",\"file_hash\":\"bb\"}]}");
        assertThat(r.info().appId()).isEqualTo("com.example.app");
        assertThat(r.version()).isEqualTo("1.0.2");
        assertThat(r.manifest())
                .containsExactly(
                        new ManifestEntry("index.html", "aa", "https://x/i"), new ManifestEntry("a.js.br", "bb", ""));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"manifest\":[]",
                "\"version\":\"\",\"manifest\":[]",
                "\"version\":12,\"manifest\":[]",
                "\"version\":\"1.0.2\"",
                "\"version\":\"1.0.2\",\"manifest\":{}",
                "\"version\":\"1.0.2\",\"manifest\":[\"index.html\"]",
                "\"version\":\"1.0.2\",\"manifest\":[{\"file_name\":1,\"file_hash\":\"aa\"}]",
                "\"version\":\"1.0.2\",\"manifest\":[{\"file_name\":\"a\",\"file_hash\":\"aa\",\"download_url\":5}]",
                "\"version\":\"1.0.2\",\"manifest\":[{\"file_name\":\"a\\u0000b\",\"file_hash\":\"aa\"}]",
            })
    void aBodyOfTheWrongShapeIsInvalidJsonBody(String rest) {
        assertThatThrownBy(() -> parse("{" + INFO + "," + rest + "}"))
                .isInstanceOfSatisfying(
                        ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ProtocolException.INVALID_JSON_BODY));
    }

    @Test
    void moreThan10000EntriesAreRefused() {
        String entry = "{\"file_name\":\"a\",\"file_hash\":\"b\"}";
        String ok = "[" + String.join(",", java.util.Collections.nCopies(10_000, entry)) + "]";
        assertThat(parse("{" + INFO + ",\"version\":\"1\",\"manifest\":" + ok + "}")
                        .manifest())
                .hasSize(10_000);
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(10_001, entry)) + "]";
        assertThatThrownBy(() -> parse("{" + INFO + ",\"version\":\"1\",\"manifest\":" + tooMany + "}"))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.getMessage()).contains("10001"));
    }

    @Test
    void notJsonIsAParseError() {
        assertThatThrownBy(() -> parse("{" + INFO + ","))
                .isInstanceOfSatisfying(
                        ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ProtocolException.INVALID_JSON_PARSE_BODY));
    }
}
