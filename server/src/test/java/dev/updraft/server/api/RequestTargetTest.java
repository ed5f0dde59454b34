package dev.updraft.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.server.security.RequestTarget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request-target spelling rules, row by row (docs/security-model.md, "Paths"). */
class RequestTargetTest {
    @ParameterizedTest(name = "{0} ? {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '^',
            nullValues = "NULL",
            value = {
                "/api/v1/apps                    | NULL      | ok",
                "/                               | NULL      | ok",
                "/api/v1/apps/                   | NULL      | ok",
                "/%61pi/v1/apps                  | NULL      | ok",
                "/api/v1/apps/com.x.y/bundles/1.0.0+build.1 | NULL | ok",
                "/api/v1/apps/a~b_c-d:e@f!$&'()*,= | NULL    | ok",
                "/api/v1/apps                    | limit=5&cursor=12 | ok",
                "/api/v1/apps/%E2%82%AC          | NULL      | ok",
                "/api/v1/apps/..                 | NULL      | invalid_path",
                "/api/v1/apps/.                  | NULL      | invalid_path",
                "/api/v1/apps/%2e%2E             | NULL      | invalid_path",
                "/api/v1/apps/.%2e/x             | NULL      | invalid_path",
                "/api/v1/apps/%2E                | NULL      | invalid_path",
                "/api/v1/apps/a%2Fb              | NULL      | invalid_path",
                "/api/v1/apps/a%2fb              | NULL      | invalid_path",
                "/api/v1/apps/a%5Cb              | NULL      | invalid_path",
                "/api/v1/apps/a\\b               | NULL      | invalid_path",
                "/api//v1/apps                   | NULL      | invalid_path",
                "//api/v1/apps                   | NULL      | invalid_path",
                "/api/v1/apps;x=1                | NULL      | invalid_path",
                "/api/v1/apps/a%00               | NULL      | invalid_path",
                "/api/v1/apps/a%7F               | NULL      | invalid_path",
                "/api/v1/apps/a%0a               | NULL      | invalid_path",
                "/api/v1/apps/a b                | NULL      | invalid_path",
                "/api/v1/apps/a\"b               | NULL      | invalid_path",
                "/api/v1/apps/a#b                | NULL      | invalid_path",
                "/api/v1/apps/é                  | NULL      | invalid_path",
                "api/v1/apps                     | NULL      | invalid_path",
                "*                               | NULL      | invalid_path",
                "/api/v1/apps/%ZZ                | NULL      | invalid_percent_encoding",
                "/api/v1/apps/%4                 | NULL      | invalid_percent_encoding",
                "/api/v1/apps/%                  | NULL      | invalid_percent_encoding",
                "/api/v1/apps/%C3%28             | NULL      | invalid_percent_encoding",
                "/api/v1/apps/%FF                | NULL      | invalid_percent_encoding",
                "/api/v1/apps                    | x=%ZZ     | invalid_percent_encoding",
                "/api/v1/apps                    | x=%FF     | invalid_percent_encoding",
                "/api/v1/apps                    | x=a\tb    | invalid_query",
            })
    void rule(String path, String query, String expected) {
        assertThat(RequestTarget.check(path, query)
                        .map(RequestTarget.Problem::code)
                        .orElse("ok"))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"2048, ok", "2049, uri_too_long"})
    void length(int length, String expected) {
        String path = "/" + "a".repeat(length - 1);
        assertThat(RequestTarget.check(path, null)
                        .map(RequestTarget.Problem::code)
                        .orElse("ok"))
                .isEqualTo(expected);
        assertThat(RequestTarget.check(path, null)
                        .map(RequestTarget.Problem::status)
                        .orElse(200))
                .isEqualTo(expected.equals("ok") ? 200 : 414);
    }
}
