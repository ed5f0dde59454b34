package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierTest {
    /** Values that must never pass as any identifier: each could name another resource once it is in a path. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "..",
                "/",
                "a/b",
                "a\\b",
                "%2e%2e",
                "a;b",
                "a b",
                "a\u0000b",
                "a\nb",
                "-x",
                "_x",
                "\u00e9t\u00e9"
            })
    void hostileValuesMatchNoKind(String v) {
        for (Identifier id : Identifier.values()) {
            assertThat(id.matches(v)).as("%s accepts %s", id, v).isFalse();
            assertThat(id.problem(v)).as("%s explains %s", id, v).isPresent();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "APP_ID, com.example.app",
        "APP_ID, io.capgo.my-app_2",
        "APP_ID, A1.B",
        "BUNDLE_VERSION, 1.0.1",
        "BUNDLE_VERSION, 2.0.0-beta.1+build.7",
        "CHANNEL_NAME, production",
        "CHANNEL_NAME, beta-2.x_y",
        "CHANNEL_NAME, 7",
        "DEVICE_ID, 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f",
        "DEVICE_ID, 6F1C2D4E-8A9B-4C3D-9E8F-0A1B2C3D4E5F",
        "ADMIN_KEY_NAME, ci-pipeline",
        "ADMIN_KEY_NAME, alice.laptop"
    })
    void validValues(Identifier id, String v) {
        assertThat(id.matches(v)).isTrue();
        assertThat(id.problem(v)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "APP_ID, example",
        "APP_ID, com.",
        "APP_ID, .com.example",
        "APP_ID, com..example",
        "BUNDLE_VERSION, 1.0",
        "BUNDLE_VERSION, v1.0.0",
        "BUNDLE_VERSION, builtin",
        "CHANNEL_NAME, .hidden",
        "DEVICE_ID, device-1",
        "DEVICE_ID, 6f1c2d4e8a9b4c3d9e8f0a1b2c3d4e5f",
        "ADMIN_KEY_NAME, Alice"
    })
    void invalidValues(Identifier id, String v) {
        assertThat(id.matches(v)).isFalse();
        assertThat(id.problem(v).orElseThrow()).startsWith("the " + id.label() + " must be");
    }

    @ParameterizedTest
    @CsvSource({"APP_ID, 256", "CHANNEL_NAME, 129", "ADMIN_KEY_NAME, 65"})
    void tooLong(Identifier id, int length) {
        String v = "a".repeat(length - 4) + ".b.c";
        assertThat(id.matches(v)).isFalse();
        assertThat(id.problem(v).orElseThrow()).contains("longer than " + id.maxLength());
        assertThat(id.matches(v.substring(1))).isTrue();
    }

    /**
     * APP_ID and DEVICE_ID are checked by scanners written out for speed; each must agree with its pattern on every
     * value: random strings over an alphabet of the characters that matter (and some that must never pass), plus
     * mutations of valid values, all lengths up to past the limits.
     */
    @ParameterizedTest
    @CsvSource({"APP_ID, com.example.app", "DEVICE_ID, 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f"})
    void scannersAgreeWithTheirPatterns(Identifier id, String valid) {
        char[] alphabet = "aZf9G0.-_/ \u00e9\u212a\u0000+".toCharArray();
        java.util.Random random = new java.util.Random(18);
        int accepted = 0;
        for (int round = 0; round < 200_000; round++) {
            String v;
            if (round % 2 == 0) {
                char[] c = new char[random.nextInt(40)];
                for (int i = 0; i < c.length; i++) {
                    c[i] = alphabet[random.nextInt(alphabet.length)];
                }
                v = new String(c);
            } else {
                char[] c = valid.toCharArray();
                for (int k = random.nextInt(3); k >= 0; k--) {
                    c[random.nextInt(c.length)] = alphabet[random.nextInt(alphabet.length)];
                }
                v = new String(c);
                if (random.nextInt(4) == 0) {
                    v = random.nextBoolean() ? v.substring(1) : v + alphabet[random.nextInt(alphabet.length)];
                }
            }
            boolean expected = !v.isEmpty() && v.length() <= id.maxLength() && id.matchesPattern(v);
            assertThat(id.matches(v)).as("%s on %s", id, v).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).as("valid values among the samples").isGreaterThan(1_000);
    }
}
