package dev.updraft.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The notices' payload, row by row: what this version writes parses back; anything else is ignored. */
class SnapshotNoticeTest {
    static final String SENDER = "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f";

    @Test
    void whatThisVersionWritesParsesBack() {
        for (AppChanged.Kind kind : AppChanged.Kind.values()) {
            SnapshotNotice n = new SnapshotNotice(SENDER, kind, "com.example.app");
            assertThat(SnapshotNotice.parse(n.payload())).contains(n);
        }
    }

    @Test
    void anythingElseIsIgnored() {
        for (String payload : new String[] {
            null,
            "",
            "nonsense",
            SENDER + " APP",
            SENDER + " APP com.example.app extra",
            SENDER + " DROP com.example.app",
            SENDER + " app com.example.app",
            SENDER + " APP ../../etc/passwd",
            SENDER + " APP com.example.app\n",
            SENDER + "  APP com.example.app",
            " APP com.example.app",
            "NOT-HEX! APP com.example.app",
            "a".repeat(65) + " APP com.example.app",
            SENDER + " APP " + "a.b".repeat(100),
        }) {
            assertThat(SnapshotNotice.parse(payload)).as("%s", payload).isEmpty();
        }
    }
}
