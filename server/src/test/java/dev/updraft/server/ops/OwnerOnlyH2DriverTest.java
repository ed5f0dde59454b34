package dev.updraft.server.ops;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class OwnerOnlyH2DriverTest {
    @Test
    void fileBaseOfAnH2FileUrl_withoutItsOptions() {
        assertThat(OwnerOnlyH2Driver.fileBase("jdbc:h2:file:/srv/updraft/data/updraft;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"))
                .isEqualTo(Path.of("/srv/updraft/data/updraft"));
        assertThat(OwnerOnlyH2Driver.fileBase("jdbc:h2:/srv/db/x")).isEqualTo(Path.of("/srv/db/x"));
        assertThat(OwnerOnlyH2Driver.fileBase("jdbc:h2:file:./data/updraft")).isEqualTo(Path.of("data/updraft").toAbsolutePath());
        assertThat(OwnerOnlyH2Driver.fileBase("jdbc:h2:~/updraft")).isEqualTo(Path.of(System.getProperty("user.home"), "updraft"));
    }

    @Test
    void noFileForInMemoryOrServerUrls() {
        assertThat(OwnerOnlyH2Driver.fileBase("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isNull();
        assertThat(OwnerOnlyH2Driver.fileBase("jdbc:h2:tcp://db.example.com/updraft")).isNull();
        assertThat(OwnerOnlyH2Driver.fileBase("jdbc:h2:ssl://db.example.com/updraft")).isNull();
    }

    @Test
    void refusesOtherDatabasesUrls() throws Exception {
        OwnerOnlyH2Driver driver = new OwnerOnlyH2Driver();
        assertThat(driver.acceptsURL("jdbc:postgresql://localhost/updraft")).isFalse();
        assertThat(driver.connect("jdbc:postgresql://localhost/updraft", new java.util.Properties())).isNull();
        assertThat(driver.acceptsURL("jdbc:h2:mem:x")).isTrue();
    }
}
