package dev.updraft.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {
    @TempDir
    Path tmp;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static void chmod(Path p, String perms) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    @Test
    void aMissingFolderIsCreatedOwnerOnly() throws Exception {
        Path dir = tmp.resolve("a/b/data");
        assertThat(DataFolder.secure(dir)).isEmpty();
        assertThat(mode(dir)).isEqualTo("rwx------");
    }

    @Test
    void anExistingLooseFolderAndEverythingInItAreTightened_andReported() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("data"));
        chmod(dir, "rwxrwxrwx");
        Path db = Files.writeString(dir.resolve("updraft.mv.db"), "x");
        chmod(db, "rw-rw-rw-");
        Path key = Files.writeString(dir.resolve("admin-api-key"), "k");
        chmod(key, "rw-r--r--");
        Path sub = Files.createDirectory(dir.resolve("old"));
        chmod(sub, "rwxr-xr-x");
        Path inSub = Files.writeString(sub.resolve("backup.sql"), "s");
        chmod(inSub, "rw-r--r--");

        List<String> changed = DataFolder.secure(dir);

        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(db)).isEqualTo("rw-------");
        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(mode(sub)).isEqualTo("rwx------");
        assertThat(mode(inSub)).isEqualTo("rw-------");
        assertThat(changed)
                .contains(
                        "the folder 0777 -> 0700",
                        "updraft.mv.db 0666 -> 0600",
                        "admin-api-key 0644 -> 0600",
                        "old 0755 -> 0700",
                        "old/backup.sql 0644 -> 0600");
        assertThat(DataFolder.secure(dir)).as("nothing left to change").isEmpty();
    }

    /** Hostile: a link planted in the folder must not make the server chmod what it points to. */
    @Test
    void symbolicLinksAreNotFollowed() throws Exception {
        Path outside = Files.writeString(tmp.resolve("shared.conf"), "not ours");
        chmod(outside, "rw-r--r--");
        Path outsideDir = Files.createDirectory(tmp.resolve("shared"));
        chmod(outsideDir, "rwxr-xr-x");
        Path dir = Files.createDirectory(tmp.resolve("data"));
        Files.createSymbolicLink(dir.resolve("link"), outside);
        Files.createSymbolicLink(dir.resolve("dirlink"), outsideDir);

        DataFolder.secure(dir);

        assertThat(mode(outside)).isEqualTo("rw-r--r--");
        assertThat(mode(outsideDir)).isEqualTo("rwxr-xr-x");
        assertThat(mode(dir)).isEqualTo("rwx------");
    }

    @Test
    void ownerOnlyFile_isCreated0600_andAnExistingFileIsLeftAlone() throws Exception {
        Path file = tmp.resolve("new/updraft.mv.db");
        DataFolder.createOwnerOnlyFile(file);
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(file.getParent())).isEqualTo("rwx------");
        assertThat(Files.size(file)).isZero();

        Path existing = Files.writeString(tmp.resolve("kept.mv.db"), "data");
        DataFolder.createOwnerOnlyFile(existing);
        assertThat(Files.readString(existing)).isEqualTo("data");
    }

    @Test
    void aFolderThatCannotBeSecured_isOneClearProblem() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> DataFolder.createOwnerOnlyFile(file.resolve("updraft.mv.db"))))
                .isInstanceOf(StartupProblem.class)
                .hasMessageContaining("cannot create")
                .hasMessageContaining("--data-dir")
                .hasMessageNotContaining("\n");
    }

    @Test
    void octalOfPermissions() {
        assertThat(DataFolder.octal(PosixFilePermissions.fromString("rwxr-x--x")))
                .isEqualTo("0751");
        assertThat(DataFolder.octal(DataFolder.FILE)).isEqualTo("0600");
    }

    /** The early start's folder: made by this call, or not at all (it then leaves the folder to the normal start). */
    @Test
    void createNew_makesOnlyAFolderThatDidNotExist_ownerOnly() throws Exception {
        Path fresh = tmp.resolve("fresh");
        assertThat(DataFolder.createNew(fresh)).isTrue();
        assertThat(mode(fresh)).isEqualTo("rwx------");
        assertThat(DataFolder.createNew(fresh)).as("exists now").isFalse();
        assertThat(DataFolder.createNew(tmp.resolve("no-parent/data")))
                .as("a missing parent")
                .isFalse();
        assertThat(tmp.resolve("no-parent")).doesNotExist();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("nowhere"));
        assertThat(DataFolder.createNew(link))
                .as("a dangling link is not a missing folder")
                .isFalse();
        assertThat(tmp.resolve("nowhere")).doesNotExist();
    }

    /** Hostile: a link inside the folder to be removed points outside it; the link goes, what it points to stays. */
    @Test
    void removeMade_removesTheWholeFolder_butNeverFollowsALinkOutOfIt() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Path keep = Files.writeString(outside.resolve("keep.txt"), "not the start's");
        Path made = tmp.resolve("made");
        assertThat(DataFolder.createNew(made)).isTrue();
        Files.createDirectories(made.resolve("pg/base/1"));
        Files.writeString(made.resolve("pg/base/1/112"), "x");
        Files.writeString(made.resolve("pg-password"), "secret");
        Files.createSymbolicLink(made.resolve("pg/escape"), outside);
        DataFolder.removeMade(made);
        assertThat(made).doesNotExist();
        assertThat(keep).hasContent("not the start's");
    }
}
