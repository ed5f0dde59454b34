package dev.updraft.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseSelectionTest {
    @Test
    void kindComesFromTheSettingOrFromThePostgresUrl() {
        assertThat(DatabaseSelection.kindOf(null, null)).isEqualTo("h2");
        assertThat(DatabaseSelection.kindOf(null, "jdbc:postgresql://db:5432/updraft")).isEqualTo("postgresql");
        assertThat(DatabaseSelection.kindOf(null, "jdbc:h2:mem:x")).isEqualTo("h2");
        assertThat(DatabaseSelection.kindOf("PostgreSQL", null)).isEqualTo("postgresql");
        assertThat(DatabaseSelection.kindOf("pg", null)).isEqualTo("postgresql");
        assertThat(DatabaseSelection.kindOf("h2", "jdbc:postgresql://db/x")).isEqualTo("h2");
    }

    @Test
    void h2FileLivesInTheDataFolder_asAnAbsolutePath() {
        String url = DatabaseSelection.h2FileUrl("data");
        assertThat(url).isEqualTo("jdbc:h2:file:" + Path.of("data").toAbsolutePath().normalize().resolve("updraft") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(DatabaseSelection.h2FileUrl(null)).isEqualTo(DatabaseSelection.h2FileUrl("./data"));
    }
}
