package dev.updraft.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.conformance.DeviceFront.Endpoint;
import dev.updraft.sim.store.Fault;
import dev.updraft.sim.store.RequestRecord;
import java.nio.file.Path;
import java.util.List;

/** Manifest (delta) updates (docs/protocol.md §7). */
final class DeltaScenarios {
    private DeltaScenarios() {}

    /** A delta release of a kit bundle: index.html, js/app.js (confirming), assets/blob.bin of 16 KiB. */
    static DeltaRelease publishDelta(ScenarioContext c, String version, Path www) throws Exception {
        DeltaRelease d = DeltaRelease.of(version, www, c.stage().store(), c.app(), c.key());
        c.ensureApp();
        ObjectNode b = c.bundleIn(d.zip(), c.key())
                .put("channel", ScenarioContext.CHANNEL)
                .put("create_channel", true);
        b.set("manifest", d.manifest());
        c.stage().admin("POST", "/apps/" + c.app() + "/bundles", b, 200, 201);
        return d;
    }

    static Path www(ScenarioContext c, String version) throws Exception {
        return Release.www(c.dir().resolve("www-" + version), version, true, 16 * 1024);
    }

    static long payloadGets(ScenarioContext c, String storePath) {
        return c.stage().store().requests(storePath).stream()
                .filter(r -> r.method().equals("GET"))
                .count();
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario(
                        "delta/install",
                        "§7.4",
                        "a manifest release is built file by file and installed with the bundle's exact tree",
                        c -> {
                            DeltaRelease d = publishDelta(c, "1.0.1", www(c, "1.0.1"));
                            c.start();
                            c.installCycle();
                            c.expectInstalled(d.zip());
                            for (String p : d.payloads().values()) {
                                c.expect(payloadGets(c, p) >= 1, "the payload " + p + " was never fetched");
                            }
                            c.expect(c.storeGets(d.zip()).isEmpty(), "a plugin that reads manifests fetched the zip");
                        }),
                new Scenario(
                        "delta/reuse-from-cache",
                        "§7.4",
                        "the next delta release fetches only the files that changed; the rest come from the cache",
                        c -> {
                            Path first = www(c, "1.0.1");
                            publishDelta(c, "1.0.1", first);
                            c.start();
                            c.installCycle();
                            // 1.0.2: same blob (the random bytes depend on the version name), new page and script
                            Path second = Release.www(c.dir().resolve("www-1.0.2"), "1.0.2", true, 0);
                            java.nio.file.Files.createDirectories(second.resolve("assets"));
                            java.nio.file.Files.copy(
                                    first.resolve("assets/blob.bin"), second.resolve("assets/blob.bin"));
                            DeltaRelease d2 = publishDelta(c, "1.0.2", second);
                            c.nextCycle();
                            c.expectInstalled(d2.zip());
                            c.expect(
                                    payloadGets(c, d2.payloads().get("assets/blob.bin")) == 0,
                                    "the unchanged assets/blob.bin was downloaded again instead of taken from the cache");
                            c.expect(
                                    payloadGets(c, d2.payloads().get("js/app.js")) >= 1,
                                    "the changed js/app.js was not downloaded");
                        }),
                new Scenario(
                        "delta/file-missing",
                        "§7.4",
                        "a payload answered 404: download_manifest_file_fail, download_fail, nothing applied",
                        c -> {
                            DeltaRelease d = publishDelta(c, "1.0.1", www(c, "1.0.1"));
                            c.stage().store().addFault(d.payloads().get("js/app.js"), Fault.parse("404"));
                            c.start();
                            c.installCycle();
                            c.expectSent("download_manifest_file_fail", "1.0.1:js/app.js");
                            c.expectSent("download_fail", null);
                            c.expectNotSent("set");
                            c.expectBuiltin();
                        }),
                new Scenario(
                        "delta/file-corrupted",
                        "§7.4",
                        "a corrupted payload: download_manifest_checksum_fail, download_fail, nothing applied",
                        c -> {
                            DeltaRelease d = publishDelta(c, "1.0.1", www(c, "1.0.1"));
                            c.stage().store().addFault(d.payloads().get("assets/blob.bin"), Fault.parse("flip"));
                            c.start();
                            c.installCycle();
                            c.expect(
                                    c.sent("download_manifest_checksum_fail", "1.0.1:assets/blob.bin")
                                            || c.sent("download_manifest_file_fail", "1.0.1:assets/blob.bin"),
                                    "a corrupted payload must fail as download_manifest_checksum_fail (or, when"
                                            + " decryption fails first, download_manifest_file_fail) for"
                                            + " 1.0.1:assets/blob.bin");
                            c.expectSent("download_fail", null);
                            c.expectNotSent("set");
                            c.expectBuiltin();
                        }),
                new Scenario(
                        "delta/manifest-path-fail",
                        "§7.1, §7.4",
                        "a manifest entry ../x fails the whole manifest before anything is fetched",
                        c -> {
                            DeltaRelease d = publishDelta(c, "1.0.1", www(c, "1.0.1"));
                            c.front().rewrite(Endpoint.UPDATES, o -> {
                                if (o.get("manifest") instanceof ArrayNode m && !m.isEmpty()) {
                                    ((ObjectNode) m.get(0)).put("file_name", "../escape.js");
                                }
                                return o;
                            });
                            c.start();
                            c.installCycle();
                            c.expectSent("manifest_path_fail", null);
                            c.expectSent("download_fail", null);
                            for (String p : d.payloads().values()) {
                                List<RequestRecord> gets = c.stage().store().requests(p);
                                c.expect(gets.isEmpty(), "a payload was fetched from a manifest with a bad path: " + p);
                            }
                            c.expectBuiltin();
                        }));
    }
}
