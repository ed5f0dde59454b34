package dev.updraft.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The one mapping of the settings, built over the server's own application.properties as an operator gets it (no
 * profile): every setting has its default there, and an unknown {@code updraft.*} setting is refused.
 */
class UpdraftConfigTest {
    static Properties shipped() throws IOException {
        Properties p = new Properties();
        URL url = UpdraftConfig.class.getClassLoader().getResource("application.properties");
        assertThat(url).as("the server's application.properties").isNotNull();
        try (InputStream in = url.openStream()) {
            p.load(in);
        }
        return p;
    }

    static SmallRyeConfig config(Map<String, String> overrides) throws IOException {
        Map<String, String> props = new java.util.HashMap<>();
        shipped().forEach((k, v) -> props.put((String) k, (String) v));
        props.putAll(overrides);
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withSources(new PropertiesConfigSource(props, "test", 100))
                .withMapping(UpdraftConfig.class)
                .withValidateUnknown(true)
                .build();
    }

    @Test
    void everySettingHasItsDefaultInApplicationProperties() throws IOException {
        UpdraftConfig c = config(Map.of()).getConfigMapping(UpdraftConfig.class);
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.adminApiKey()).isEmpty();
        assertThat(c.management().port()).isEqualTo(9000);
        assertThat(c.adminKeys().refreshInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.adminKeys().throttle().maxFailures()).isEqualTo(20);
        assertThat(c.adminKeys().throttle().window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.rateLimit().channelSelf().maxOps()).isEqualTo(5);
        assertThat(c.rateLimit().channelSelf().window()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.rateLimit().channelSelf().identicalSetWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.stats().budget().deviceEventsPerMinute()).isEqualTo(15_000);
        assertThat(c.stats().budget().appEventsPerMinute()).isEqualTo(600_000);
        assertThat(c.stats().budget().addressBytesPerMinute()).isEqualTo(128L * 1024 * 1024);
        assertThat(c.snapshot().pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.devices().flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.db().url()).isEmpty();
        assertThat(c.db().embedded().binariesDir()).isEmpty();
    }

    @Test
    void anOperatorsValueWinsOverTheDefault() throws IOException {
        UpdraftConfig c = config(Map.of(
                        "updraft.rate-limit.channel-self.max-ops", "9", "updraft.db.url", "jdbc:postgresql://db/u"))
                .getConfigMapping(UpdraftConfig.class);
        assertThat(c.rateLimit().channelSelf().maxOps()).isEqualTo(9);
        assertThat(c.db().url()).contains("jdbc:postgresql://db/u");
    }

    @Test
    void aMistypedSettingStopsTheStartInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> config(Map.of("updraft.rate-limit.channel-self.max-opps", "9")))
                .hasMessageContaining("updraft.rate-limit.channel-self.max-opps");
    }

    @Test
    void aValueThatDoesNotConvertNamesItsSetting() {
        assertThatThrownBy(() -> config(Map.of("updraft.admin-keys.throttle.max-failures", "many")))
                .hasMessageContaining("updraft.admin-keys.throttle.max-failures");
    }
}
