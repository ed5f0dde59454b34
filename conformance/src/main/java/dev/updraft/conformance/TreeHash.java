package dev.updraft.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The installed-tree hash of docs/conformance.md ("state"): SHA-256, lowercase hex, of the lines
 * {@code <path>\0<sha256 of the file, lowercase hex>\n} of every regular file under the bundle's root, paths relative
 * with {@code /}, the lines sorted by their UTF-8 bytes. Links and folders are not in it.
 */
public final class TreeHash {
    private TreeHash() {}

    public static String of(Path root) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>)
                    files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))::iterator) {
                lines.add(
                        root.relativize(f).toString().replace('\\', '/') + "\0" + sha256(Files.readAllBytes(f)) + "\n");
            }
        }
        lines.sort((x, y) ->
                Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
        return sha256(String.join("", lines).getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
