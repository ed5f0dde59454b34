package dev.updraft.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Small helpers for the REST tests: the admin API with its key, unique ids, and the plugin's info object. */
final class Api {
    static final String KEY = "test-admin-key";
    static final String SHA = "3f5076131fa327e7c3ea620aca8ca283e3657a1e8b015482f55893f4fd1ca2d7";
    private static final AtomicInteger IPS = new AtomicInteger(1);

    private Api() {}

    static RequestSpecification admin() {
        return RestAssured.given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON);
    }

    /** A device call from its own client address, so per-address rate limits of one test do not touch another. */
    static RequestSpecification device() {
        int n = IPS.getAndIncrement();
        return RestAssured.given()
                .header("X-Forwarded-For", "198.51.100." + (n % 250 + 1))
                .contentType("application/json; charset=utf-8");
    }

    /** A fresh app id (the test database in target/test-data outlives a run). */
    static String newApp(String prefix) {
        String id = "com.test." + prefix + ".a"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin().body(Map.of("app_id", id)).post("/api/v1/apps").then().statusCode(201);
        return id;
    }

    static void bundle(String appId, String version) {
        admin().body(Map.of(
                        "version",
                        version,
                        "external_url",
                        "https://cdn.example.com/" + version + ".zip",
                        "checksum",
                        SHA))
                .post("/api/v1/apps/{app}/bundles", appId)
                .then()
                .statusCode(201);
    }

    static void channel(String appId, Map<String, Object> body) {
        admin().body(body).post("/api/v1/apps/{app}/channels", appId).then().statusCode(201);
    }

    static Map<String, Object> ch(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The documented example info object, Android, native 1.0.0 on its built-in bundle, without key_id. */
    static InfoObject infoObject(String appId, String deviceId) {
        return InfoObject.builder()
                .platform(Platform.ANDROID)
                .deviceId(deviceId)
                .appId(appId)
                .customId("")
                .versionBuild("1.0.0")
                .versionCode("1")
                .versionOs("14")
                .versionName("1.0.0")
                .pluginVersion("8.51.23")
                .isEmulator(false)
                .isProd(true)
                .installSource("google_play")
                .defaultChannel("")
                .build();
    }

    /** The same, as the protocol writes it, in a map that tests may change (also into what no plugin would send). */
    static Map<String, Object> info(String appId, String deviceId) {
        return map(infoObject(appId, deviceId).toJson());
    }

    /** A JSON object as a mutable map, keys in order. */
    static Map<String, Object> map(byte[] json) {
        try {
            return new ObjectMapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> with(Map<String, Object> base, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove((String) kv[i]);
            } else {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    static String newDevice() {
        return UUID.randomUUID().toString();
    }

    /** Every entry of an admin API list, following next_cursor page by page (docs/admin-api.md, "Lists and paging"). */
    static List<Map<String, Object>> all(String path, Object... pathParams) {
        List<Map<String, Object>> entries = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification request = admin().queryParam("limit", 1000);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get(path, pathParams)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            entries.addAll(page.getList("entries"));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        return entries;
    }

    /** The entries of the first page of an admin API list. */
    static List<Map<String, Object>> firstPage(String path, Object... pathParams) {
        return admin().get(path, pathParams)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entries");
    }
}
