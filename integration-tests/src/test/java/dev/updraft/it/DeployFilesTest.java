package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of {@code deploy/} on a machine without systemd running and without a container engine: the
 * unit file with systemd's own tools, the Dockerfile against what the build produced, the compose file parsed
 * (docs/operations.md, "Installing"). The container image itself is not built here (README.md says so).
 */
class DeployFilesTest {
    static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
    static final Path DEPLOY = Repo.root().resolve("deploy");

    // ---- systemd ----

    /**
     * {@code systemd-analyze verify} exits 0 even for unknown keys and values it cannot parse (it ignores them, as
     * systemd does), so any output is a failure. It also requires ExecStart to exist: the copy it checks points at
     * the launcher of the distribution the build unpacked, instead of /opt/updraft.
     */
    static List<String> verify(String unit) throws Exception {
        assertThat(SYSTEMD_ANALYZE)
                .as("systemd-analyze (package systemd) is needed to check deploy/updraft.service")
                .isExecutable();
        Path dir = Files.createDirectories(Path.of("target", "it", "systemd"));
        Path file = dir.resolve("updraft.service");
        Files.writeString(file, unit.replace("ExecStart=/opt/updraft/", "ExecStart=" + distribution() + "/"));
        return systemdAnalyze("verify", file.toString());
    }

    static List<String> systemdAnalyze(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SYSTEMD_ANALYZE.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
        int rc = p.waitFor();
        List<String> result = new ArrayList<>(out);
        if (rc != 0) {
            result.add("exit " + rc);
        }
        return result;
    }

    /** The unpacked distribution the build staged (distribution/target/updraft-<version>/). */
    static Path distribution() throws IOException {
        String name = DistributionIT.archive().getFileName().toString().replace("-linux-x64.tar.gz", "");
        Path dir = Repo.root().resolve("distribution/target").resolve(name);
        assertThat(dir.resolve("bin/updraft")).isExecutable();
        return dir;
    }

    @Test
    void theUnitFilePassesSystemdsVerification() throws Exception {
        assertThat(verify(Files.readString(DEPLOY.resolve("updraft.service")))).isEmpty();
    }

    @Test
    void aUnitWithAMisspeltSettingFailsTheVerification() throws Exception {
        String unit = Files.readString(DEPLOY.resolve("updraft.service"));
        assertThat(verify(unit.replace("ProtectSystem=strict", "ProtectSytem=strict")))
                .anyMatch(line -> line.contains("Unknown key 'ProtectSytem'"));
        assertThat(verify(unit.replace("ProtectSystem=strict", "ProtectSystem=stric")))
                .anyMatch(line -> line.contains("Failed to parse protect system value"));
    }

    @Test
    void theUnitIsHardenedAndKeepsItsDataInTheStateDirectory() throws Exception {
        Map<String, List<String>> service = section(Files.readString(DEPLOY.resolve("updraft.service")), "Service");
        assertThat(service.get("DynamicUser")).containsExactly("yes");
        assertThat(service.get("ProtectSystem")).containsExactly("strict");
        assertThat(service.get("PrivateTmp")).containsExactly("yes");
        assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(service.get("StateDirectory")).containsExactly("updraft");
        assertThat(service.get("KillMode"))
                .as("SIGTERM to the server alone: it stops its embedded PostgreSQL after its last write")
                .containsExactly("mixed");
        assertThat(service.get("Environment"))
                .contains(
                        "UPDRAFT_DATA_DIR=%S/updraft/data", "UPDRAFT_DB_EMBEDDED_BINARIES_DIR=%S/updraft/pg-binaries");
        assertThat(exposure(DEPLOY.resolve("updraft.service")))
                .as("systemd-analyze security's exposure (0 to 10)")
                .isLessThan(2.0);
    }

    @Test
    void anUnhardenedUnitHasAHighExposure() throws Exception {
        Path plain = Files.createDirectories(Path.of("target", "it", "systemd")).resolve("plain.service");
        Files.writeString(plain, "[Service]\nExecStart=/bin/true\n");
        assertThat(exposure(plain)).isGreaterThan(9.0);
    }

    static double exposure(Path unit) throws Exception {
        List<String> out = systemdAnalyze("security", "--offline=yes", unit.toString());
        Pattern overall = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");
        return out.stream()
                .map(overall::matcher)
                .filter(Matcher::find)
                .map(m -> Double.parseDouble(m.group(1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no exposure level in: " + out));
    }

    /** The keys of one section of a unit file, each with its values in order. */
    static Map<String, List<String>> section(String unit, String name) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        boolean in = false;
        for (String line : unit.lines().map(String::strip).toList()) {
            if (line.startsWith("[")) {
                in = line.equals("[" + name + "]");
            } else if (in && !line.isEmpty() && !line.startsWith("#") && line.contains("=")) {
                int eq = line.indexOf('=');
                keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>())
                        .add(line.substring(eq + 1));
            }
        }
        return keys;
    }

    // ---- Dockerfile ----

    /** One instruction of a Dockerfile, its continuation lines joined. */
    record Instruction(String keyword, String arguments) {}

    static List<Instruction> instructions(String dockerfile) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.lines().toList()) {
            String line = raw.strip();
            if (current.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            int space = text.indexOf(' ');
            out.add(new Instruction(
                    text.substring(0, space).toUpperCase(java.util.Locale.ROOT),
                    text.substring(space + 1).strip()));
            current.setLength(0);
        }
        return out;
    }

    /**
     * The sources of every COPY and ADD of the build context (not those from another stage), with the ARG defaults
     * substituted, that the build did not produce under {@code root}.
     */
    static List<String> missingSources(String dockerfile, Path root) {
        Map<String, String> args = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (Instruction i : instructions(dockerfile)) {
            if (i.keyword().equals("ARG") && i.arguments().contains("=")) {
                String[] kv = i.arguments().split("=", 2);
                args.put(kv[0].strip(), kv[1].strip());
            }
            if (!i.keyword().equals("COPY") && !i.keyword().equals("ADD")) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(i.arguments().split("\\s+")));
            if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
                continue;
            }
            words.removeIf(w -> w.startsWith("--"));
            for (String source : words.subList(0, words.size() - 1)) {
                String path = source;
                for (Map.Entry<String, String> a : args.entrySet()) {
                    path = path.replace("${" + a.getKey() + "}", a.getValue()).replace("$" + a.getKey(), a.getValue());
                }
                if (path.contains("$") || !Files.exists(root.resolve(path))) {
                    missing.add(source + " (" + path + ")");
                }
            }
        }
        return missing;
    }

    @Test
    void everyFileTheDockerfileCopiesIsProducedByTheBuild() throws Exception {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        List<Instruction> all = instructions(dockerfile);
        assertThat(all).filteredOn(i -> i.keyword().equals("COPY")).isNotEmpty();
        assertThat(missingSources(dockerfile, Repo.root())).isEmpty();
        // The version it copies is the one this build made.
        assertThat(all)
                .contains(new Instruction(
                        "ARG",
                        "UPDRAFT_VERSION="
                                + distribution().getFileName().toString().substring("updraft-".length())));
    }

    @Test
    void aCopyOfSomethingTheBuildDoesNotMakeIsReported() {
        String dockerfile =
                "FROM debian:12-slim\nARG V=9.9.9\nCOPY --chown=1:1 distribution/target/updraft-${V}/ /opt/u/\n"
                        + "COPY --from=builder /x /y\nCOPY deploy/updraft.service \\\n  /etc/\n";
        assertThat(missingSources(dockerfile, Repo.root()))
                .containsExactly("distribution/target/updraft-${V}/ (distribution/target/updraft-9.9.9/)");
    }

    @Test
    void theImageRunsAsAnOrdinaryUserWithItsDataOnAVolumeAndChecksTheManagementPort() throws Exception {
        List<Instruction> all = instructions(Files.readString(DEPLOY.resolve("Dockerfile")));
        List<String> users = all.stream()
                .filter(i -> i.keyword().equals("USER"))
                .map(Instruction::arguments)
                .toList();
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).doesNotStartWith("root").doesNotStartWith("0");
        assertThat(all).contains(new Instruction("VOLUME", "[\"/var/lib/updraft\"]"));
        String env = all.stream()
                .filter(i -> i.keyword().equals("ENV"))
                .map(Instruction::arguments)
                .reduce("", String::concat);
        assertThat(env).contains("UPDRAFT_DATA_DIR=/var/lib/updraft/data").contains("UPDRAFT_MANAGEMENT_PORT=9000");
        assertThat(all)
                .filteredOn(i -> i.keyword().equals("HEALTHCHECK"))
                .singleElement()
                .extracting(Instruction::arguments)
                .asString()
                .contains("http://127.0.0.1:9000/q/health/ready");
    }

    // ---- compose ----

    @Test
    void theComposeFileParsesAndNamesThePortsAndVolumes() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory())
                .readTree(DEPLOY.resolve("compose.yaml").toFile());
        JsonNode services = compose.get("services");
        assertThat(names(services)).containsExactlyInAnyOrder("postgres", "minio", "updraft");

        JsonNode updraft = services.get("updraft");
        assertThat(updraft.at("/build/dockerfile").asText()).isEqualTo("deploy/Dockerfile");
        assertThat(DEPLOY.resolve(updraft.at("/build/context").asText()).resolve("deploy/Dockerfile"))
                .exists();
        assertThat(texts(updraft.get("ports"))).containsExactly("8080:8080");
        assertThat(texts(updraft.get("volumes"))).containsExactly("updraft-data:/var/lib/updraft");
        assertThat(updraft.at("/environment/UPDRAFT_DB_URL").asText())
                .isEqualTo("jdbc:postgresql://postgres:5432/updraft");
        assertThat(updraft.at("/depends_on/postgres/condition").asText()).isEqualTo("service_healthy");

        assertThat(texts(services.at("/postgres/volumes"))).containsExactly("postgres-data:/var/lib/postgresql/data");
        assertThat(services.at("/postgres/ports").isMissingNode())
                .as("PostgreSQL stays on the compose network")
                .isTrue();
        assertThat(texts(services.at("/minio/ports"))).contains("9000:9000");
        assertThat(texts(services.at("/minio/volumes"))).containsExactly("minio-data:/data");
        assertThat(names(compose.get("volumes")))
                .containsExactlyInAnyOrder("postgres-data", "minio-data", "updraft-data");
    }

    static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
