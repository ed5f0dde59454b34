package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.UpdateAnswer.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the plugin reads an answer of /updates, on hostile answers as on good ones, per platform. */
class UpdateAnswerTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // platform | status | body                                                        | class      | error
                "android | 200 | '{\"error\":\"no_new_version_available\",\"message\":\"m\",\"kind\":\"up_to_date\"}' | UP_TO_DATE | no_new_version_available",
                "ios     | 200 | '{\"error\":\"no_new_version_available\",\"message\":\"m\",\"kind\":\"up_to_date\"}' | UP_TO_DATE | no_new_version_available",
                "android | 200 | '{\"error\":\"disable_auto_update_to_major\",\"kind\":\"blocked\",\"major\":true}'    | BLOCKED    | disable_auto_update_to_major",
                // a missing or unknown kind is failed
                "android | 200 | '{\"error\":\"no_channel\",\"message\":\"none\"}'                                     | FAILED     | no_channel",
                "ios     | 200 | '{\"error\":\"no_channel\",\"message\":\"none\"}'                                     | FAILED     | no_channel",
                "android | 200 | '{\"error\":\"x\",\"kind\":\"sideways\"}'                                           | FAILED     | x",
                "android | 200 | '{\"error\":\"x\",\"kind\":\"UP_TO_DATE\"}'                                         | FAILED     | x",
                "android | 200 | '{\"error\":\"x\",\"kind\":7}'                                                     | FAILED     | x",
                // Android: a key present with null counts; iOS: only a non-empty string does
                "android | 200 | '{\"error\":null}'                                                                | FAILED     | ''",
                "ios     | 200 | '{\"error\":null}'                                                                | UPDATE     | -",
                "android | 200 | '{\"version\":\"1.0.1\",\"url\":\"https://x/y.zip\",\"kind\":null}'                    | FAILED     | ''",
                "ios     | 200 | '{\"version\":\"1.0.1\",\"url\":\"https://x/y.zip\",\"kind\":null}'                    | UPDATE     | -",
                "ios     | 200 | '{\"version\":\"1.0.1\",\"url\":\"https://x/y.zip\",\"kind\":\"\",\"error\":\"\"}'       | UPDATE     | -",
                "android | 200 | '{\"version\":\"1.0.1\",\"url\":\"https://x/y.zip\",\"kind\":\"\"}'                    | FAILED     | ''",
                // the no-update keys win over the status
                "android | 404 | '{\"error\":\"app_not_found\",\"kind\":\"up_to_date\"}'                              | UP_TO_DATE | app_not_found",
                "ios     | 429 | '{\"error\":\"too_many_requests\",\"message\":\"slow down\"}'                         | FAILED     | too_many_requests",
                // otherwise a non-2xx status is response_error
                "android | 500 | '{\"status\":\"down\"}'                                                             | FAILED     | response_error",
                "ios     | 500 | '<html>oops</html>'                                                              | FAILED     | response_error",
                "android | 302 | ''                                                                               | FAILED     | response_error",
                // a 2xx body that is not a JSON object
                "android | 200 | '<html>not json</html>'                                                          | FAILED     | parse_error",
                "ios     | 200 | '<html>not json</html>'                                                          | FAILED     | decode_error",
                "android | 200 | '[1,2]'                                                                          | FAILED     | parse_error",
                "android | 200 | 'null'                                                                           | FAILED     | parse_error",
                "android | 200 | ''                                                                               | FAILED     | parse_error",
                "android | 200 | '{\"version\":\"1\"} trailing'                                                    | FAILED     | parse_error",
                // iOS's typed decoding
                "ios     | 200 | '{\"version\":1,\"url\":\"https://x/y.zip\"}'                                      | FAILED     | decode_error",
                "android | 200 | '{\"version\":1,\"url\":\"https://x/y.zip\"}'                                      | UPDATE     | -",
                "ios     | 200 | '{\"error\":5}'                                                                   | FAILED     | decode_error",
                "android | 200 | '{\"error\":5}'                                                                   | FAILED     | 5",
                "ios     | 200 | '{\"version\":\"1.0.1\",\"url\":\"https://x\",\"breaking\":\"yes\"}'                  | FAILED     | decode_error",
                "ios     | 200 | '{\"version\":\"1.0.1\",\"url\":\"https://x\",\"data\":{\"a\":1}}'                     | FAILED     | decode_error",
                "ios     | 200 | '{\"version\":\"1.0.1\",\"url\":\"https://x\",\"data\":{\"a\":\"b\"}}'                 | UPDATE     | -",
                "ios     | 200 | '{\"version\":\"1.0.1\",\"url\":\"https://x\",\"manifest\":{}}'                      | FAILED     | decode_error",
                // revert and update
                "android | 200 | '{\"version\":\"builtin\"}'                                                        | BUILTIN    | -",
                "ios     | 200 | '{\"version\":\"builtin\"}'                                                        | BUILTIN    | -",
                "android | 200 | '{\"version\":\"1.0.1\"}'                                                          | UPDATE     | -",
                "electron| 200 | '{\"error\":null}'                                                                | FAILED     | ''"
            })
    void classify(String platform, int status, String body, Kind kind, String error) {
        UpdateAnswer a = UpdateAnswer.classify(
                status,
                body.getBytes(StandardCharsets.UTF_8),
                Platform.fromWire(platform).orElseThrow());
        assertThat(a.kind()).isEqualTo(kind);
        assertThat(a.error()).isEqualTo(error);
        assertThat(a.httpStatus()).isEqualTo(status);
    }

    @Test
    void theFieldsOfAnUpdate_roundTripFromTheWriter() {
        UpdateOffer offer = new UpdateOffer(
                "1.0.1",
                "https://cdn/x.zip",
                "iv:key",
                "ab",
                List.of(new ManifestEntry("index.html", "h", "https://cdn/i")),
                "l",
                "c",
                true);
        for (Platform p : Platform.values()) {
            UpdateAnswer a = UpdateAnswer.classify(200, offer.toJson(), p);
            assertThat(a.kind()).isEqualTo(Kind.UPDATE);
            assertThat(a.version()).isEqualTo("1.0.1");
            assertThat(a.url()).isEqualTo("https://cdn/x.zip");
            assertThat(a.sessionKey()).isEqualTo("iv:key");
            assertThat(a.checksum()).isEqualTo("ab");
            assertThat(a.hasManifest()).isTrue();
            assertThat(a.manifest()).containsExactly(new ManifestEntry("index.html", "h", "https://cdn/i"));
            assertThat(a.breaking()).isTrue();
            assertThat(a.error()).isNull();
            assertThat(a.toString()).isEqualTo("update 1.0.1");
        }
        assertThat(UpdateAnswer.classify(200, UpdateAnswer.revertToBuiltinJson(), Platform.ANDROID)
                        .kind())
                .isEqualTo(Kind.BUILTIN);
    }

    @Test
    void missingOrWrongFields_readAsThePluginFindsThem() {
        UpdateAnswer noUrl = UpdateAnswer.classify(
                200, "{\"version\":\"1.0.1\",\"manifest\":[]}".getBytes(StandardCharsets.UTF_8), Platform.ANDROID);
        assertThat(noUrl.kind()).isEqualTo(Kind.UPDATE);
        assertThat(noUrl.url()).isNull();
        assertThat(noUrl.checksum()).isEmpty();
        assertThat(noUrl.sessionKey()).isEmpty();
        assertThat(noUrl.hasManifest()).isFalse();
        UpdateAnswer numberUrl = UpdateAnswer.classify(
                200,
                "{\"version\":2,\"url\":5,\"manifest\":[1,{\"file_name\":\"a\"}]}".getBytes(StandardCharsets.UTF_8),
                Platform.ANDROID);
        assertThat(numberUrl.url()).isNull();
        assertThat(numberUrl.version()).isEqualTo("2");
        assertThat(numberUrl.manifest()).containsExactly(new ManifestEntry("a", "", ""));
        assertThat(numberUrl.breaking()).isFalse();
    }

    @Test
    void breakingEvents() {
        assertThat(read("{\"error\":\"disable_auto_update_to_major\",\"kind\":\"blocked\"}")
                        .breaking())
                .isTrue();
        assertThat(read("{\"error\":\"x\",\"message\":\"store_update_required\",\"kind\":\"blocked\"}")
                        .breaking())
                .isTrue();
        assertThat(read("{\"error\":\"disable_auto_update_to_minor\",\"kind\":\"blocked\",\"major\":true}")
                        .breaking())
                .as("major is a deprecated alias the plugin does not act on")
                .isFalse();
        assertThat(read("{\"version\":\"1\",\"breaking\":\"true\"}").breaking()).isFalse();
    }

    @Test
    void noAnswer() {
        assertThat(UpdateAnswer.transportFailure(Platform.ANDROID, true, "x").error())
                .isEqualTo("network_error");
        assertThat(UpdateAnswer.transportFailure(Platform.IOS, true, "x").error())
                .isEqualTo("timeout_error");
        assertThat(UpdateAnswer.transportFailure(Platform.IOS, false, "x").error())
                .isEqualTo("response_error");
        UpdateAnswer local = UpdateAnswer.localFailure("too_many_requests", "slow down");
        assertThat(local.kind()).isEqualTo(Kind.FAILED);
        assertThat(local.httpStatus()).isZero();
        assertThat(local.body()).isEmpty();
        assertThat(local.toString()).isEqualTo("failed (too_many_requests)");
    }

    private static UpdateAnswer read(String json) {
        return UpdateAnswer.classify(200, json.getBytes(StandardCharsets.UTF_8), Platform.ANDROID);
    }
}
