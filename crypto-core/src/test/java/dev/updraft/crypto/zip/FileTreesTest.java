package dev.updraft.crypto.zip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path tmp;

    private Path tree() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("index.html"), "<html/>");
        Files.writeString(root.resolve("a/b/app.js"), "x");
        return root;
    }

    @Test
    void deletesTheFolderAndEverythingInIt() throws Exception {
        Path root = tree();
        FileTrees.delete(root);
        assertThat(root).doesNotExist();
        assertThat(tmp).exists();
    }

    @Test
    void keepRootEmptiesTheFolderButLeavesIt() throws Exception {
        Path root = tree();
        FileTrees.delete(root, true);
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void aMissingFolderIsNothingToDo() throws Exception {
        FileTrees.delete(tmp.resolve("never-made"));
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void linksInsideAreRemovedAsLinksAndWhatTheyPointAtStays() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path root = tree();
        Files.createSymbolicLink(root.resolve("a/to-outside"), outside);
        Files.createSymbolicLink(root.resolve("file-link"), outside.resolve("keep.txt"));
        FileTrees.delete(root);
        assertThat(root).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
    }

    @Test
    void aRootThatIsALinkIsRemovedAsTheLinkOnly() throws Exception {
        Path target = tree();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        FileTrees.delete(link);
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(target.resolve("a/b/app.js")).hasContent("x");
    }
}
