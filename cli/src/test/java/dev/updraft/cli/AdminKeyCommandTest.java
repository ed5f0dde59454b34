package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code updraft admin-key create|list|revoke} against a fake admin API. */
class AdminKeyCommandTest {
    static final String SECRET = "updraft_c2VjcmV0LXNob3duLW9uY2UtdG8tdGhlLWNhbGxlcg";
    static final String CREATED =
            "{\"name\":\"ci-release\",\"key\":\"" + SECRET + "\",\"created_at\":\"2026-01-01T00:00:00Z\"}";

    @TempDir
    Path dir;

    final FakeAdminApi api;

    AdminKeyCommandTest() throws Exception {
        api = new FakeAdminApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Cli.Result run(String... args) {
        return new Cli(dir).run(api.withServer(args));
    }

    @Test
    void createPrintsTheSecretOnce_onStdout() {
        api.on("POST", "/api/v1/admin-keys", 201, CREATED);
        Cli.Result r = run("admin-key", "create", "ci-release");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(SECRET + "\n");
        assertThat(r.err()).contains("ci-release created").doesNotContain(SECRET);
        assertThat(api.request("POST /api/v1/admin-keys").body().get("name").asText())
                .isEqualTo("ci-release");

        Cli.Result json = run("admin-key", "create", "ci-release", "--json");
        assertThat(json.json().get("key").asText()).isEqualTo(SECRET);
        assertThat(json.err()).isEmpty();
    }

    @Test
    void createWithSave_writesAnOwnerOnlyFile_andPrintsNoSecret() throws Exception {
        api.on("POST", "/api/v1/admin-keys", 201, CREATED);
        Cli.Result r = run("admin-key", "create", "ci-release", "--save", "keys/ci.key", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path file = dir.resolve("keys/ci.key");
        assertThat(Files.readString(file)).isEqualTo(SECRET + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
        assertThat(r.json().has("key")).isFalse();
        assertThat(r.json().get("saved_to").asText()).isEqualTo(file.toString());

        // An existing file is never overwritten, and then no key is created.
        int before = api.routesCalled().size();
        Cli.Result again = run("admin-key", "create", "other", "--save", "keys/ci.key");
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(again.err()).startsWith("error: already exists");
        assertThat(api.routesCalled()).hasSize(before);
        assertThat(Files.readString(file)).isEqualTo(SECRET + "\n");
    }

    @Test
    void hostileNames_areRefusedBeforeAnyRequest() {
        for (String name : new String[] {"UPPER", "..", "a/b", "-x", "x".repeat(65), "", "a b"}) {
            Cli.Result r = run("admin-key", "create", name, "--json");
            assertThat(r.exitCode()).as(name).isEqualTo(ExitCode.USAGE);
            // "-x" reads as an unknown option: a usage error all the same
            assertThat(r.errorJson().get("error").asText())
                    .isEqualTo(name.startsWith("-") ? "usage" : "invalid_key_name");
            assertThat(run("admin-key", "revoke", name).exitCode()).isEqualTo(ExitCode.USAGE);
        }
        assertThat(api.routesCalled()).isEmpty();
    }

    @Test
    void listShowsStatus_andRevokeReportsTheServersRefusal() {
        api.on(
                "GET",
                "/api/v1/admin-keys",
                200,
                FakeAdminApi.page(
                        null,
                        "{\"name\":\"generated\",\"origin\":\"generated\",\"created_at\":\"2026-01-01T00:00:00Z\","
                                + "\"last_used_at\":null,\"revoked_at\":null,\"active\":true}",
                        "{\"name\":\"old\",\"origin\":\"api\",\"created_at\":\"2026-01-02T00:00:00Z\","
                                + "\"last_used_at\":\"2026-01-03T00:00:00Z\",\"revoked_at\":\"2026-01-04T00:00:00Z\",\"active\":false}"));
        Cli.Result list = run("admin-key", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out())
                .contains("NAME", "generated", "active", "old", "revoked 2026-01-04T00:00:00Z", "2026-01-03T00:00:00Z");

        api.on(
                "DELETE",
                "/api/v1/admin-keys/old",
                200,
                "{\"name\":\"old\",\"active\":false,\"revoked_at\":\"2026-01-04T00:00:00Z\"}");
        Cli.Result revoked = run("admin-key", "revoke", "old");
        assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
        assertThat(revoked.out()).isEqualTo("Admin key old revoked\n");

        api.on(
                "DELETE",
                "/api/v1/admin-keys/generated",
                409,
                FakeAdminApi.error("last_active_key", "'generated' is the last active admin key"));
        Cli.Result last = run("admin-key", "revoke", "generated", "--json");
        assertThat(last.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(last.errorJson().get("error").asText()).isEqualTo("last_active_key");
    }
}
