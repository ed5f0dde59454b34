package dev.updraft.server.api;

import static dev.updraft.server.api.Api.all;
import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.device;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static dev.updraft.server.api.Api.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.updraft.server.device.DeviceSeenRecorder;
import dev.updraft.server.device.OfferRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Devices that check again and again (docs/architecture.md, "Recording sightings and offers"): once a sighting and an
 * offer are written, the same again within the rewrite window puts nothing into the pending maps, while a device
 * whose details changed is recorded and written as before.
 */
@QuarkusTest
class RepeatedChecksTest {
    @Inject
    DeviceSeenRecorder sightings;

    @Inject
    OfferRecorder offers;

    @Inject
    MeterRegistry registry;

    double pending(String gauge) {
        return registry.get(gauge).gauge().value();
    }

    static void check(Map<String, Object> info) {
        device().body(info).post("/updates").then().statusCode(200).body("version", equalTo("1.0.1"));
    }

    @Test
    void aDeviceCheckingAgainWithTheSameDetailsAddsNothingPending_oneWhoseDetailsChangedIsWritten() {
        String app = newApp("repeat");
        bundle(app, "1.0.1");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        List<Map<String, Object>> devices = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            devices.add(info(app, newDevice()));
        }
        devices.forEach(RepeatedChecksTest::check);
        sightings.flush();
        offers.flush(); // both written now

        for (int round = 0; round < 3; round++) {
            devices.forEach(RepeatedChecksTest::check);
        }
        // Without the skip, each of the 20 devices would wait here for the next flush (up to a second away).
        assertThat(pending("updraft.devices.pending")).as("sightings pending").isZero();
        assertThat(pending("updraft.offers.pending")).as("offers pending").isZero();

        Map<String, Object> changed = with(devices.get(0), "version_build", "1.0.7");
        device().body(changed).post("/updates").then().statusCode(200);
        assertThat(pending("updraft.devices.pending")).as("the changed device").isGreaterThan(0);
        sightings.flush();
        Map<String, Object> listed = all("/api/v1/apps/" + app + "/devices").stream()
                .filter(d -> d.get("device_id").equals(changed.get("device_id")))
                .findFirst()
                .orElseThrow();
        assertThat(listed.get("version_build")).isEqualTo("1.0.7");
        assertThat(all("/api/v1/apps/" + app + "/devices")).hasSize(20);
    }
}
