package dev.updraft.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What the simulated web app does about {@code CapacitorUpdater.notifyAppReady()} when a bundle is loaded. The real
 * plugin cannot know whether a bundle is good; it waits for the app to say so (spec §8.6). The simulator stands in
 * for the app:
 * <ul>
 *   <li>{@link #auto()} (default): the app calls it at once if the bundle's JavaScript contains {@code notifyAppReady(}
 *       (in {@code .js}/{@code .mjs}/{@code .cjs} files, or an inline script in an {@code .html} file), and never otherwise;</li>
 *   <li>{@link #always()}, {@link #never()};</li>
 *   <li>{@link #after(long)}: the app calls it N seconds after the bundle is loaded (to test the timeout edge).</li>
 * </ul>
 */
public final class AppBehaviour {
    /** How the app decides. */
    public enum Kind {
        AUTO,
        ALWAYS,
        NEVER,
        AFTER
    }

    /** Returned by {@link #readyDelayMillis} when the app never calls {@code notifyAppReady}. */
    public static final long NEVER_READY = -1;

    private static final byte[] CALL = "notifyAppReady(".getBytes(StandardCharsets.US_ASCII);

    private final Kind kind;
    private final long afterMillis;

    private AppBehaviour(Kind kind, long afterMillis) {
        this.kind = kind;
        this.afterMillis = afterMillis;
    }

    public static AppBehaviour auto() {
        return new AppBehaviour(Kind.AUTO, 0);
    }

    public static AppBehaviour always() {
        return new AppBehaviour(Kind.ALWAYS, 0);
    }

    public static AppBehaviour never() {
        return new AppBehaviour(Kind.NEVER, 0);
    }

    public static AppBehaviour after(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("after: seconds must be >= 0");
        }
        return new AppBehaviour(Kind.AFTER, seconds * 1000);
    }

    /** Parses {@code auto}, {@code always}, {@code never} or {@code after:N} (seconds). */
    public static AppBehaviour parse(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("after:")) {
            try {
                return after(Long.parseLong(v.substring(6)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("after:N needs a whole number of seconds, not '" + s + "'");
            }
        }
        switch (v) {
            case "auto":
                return auto();
            case "always":
                return always();
            case "never":
                return never();
            default:
                throw new IllegalArgumentException(
                        "app behaviour must be auto, always, never or after:N; not '" + s + "'");
        }
    }

    public Kind kind() {
        return kind;
    }

    /**
     * When the app calls {@code notifyAppReady()} after the bundle at {@code bundleRoot} is loaded.
     *
     * @param bundleRoot the bundle's folder, or null for the built-in bundle whose files the simulator does not have
     *                   (an {@link #auto()} app is then assumed to call it, as shipped apps do)
     * @return milliseconds after loading, or {@link #NEVER_READY}
     */
    public long readyDelayMillis(Path bundleRoot) {
        switch (kind) {
            case ALWAYS:
                return 0;
            case NEVER:
                return NEVER_READY;
            case AFTER:
                return afterMillis;
            default:
                return bundleRoot == null || callsNotifyAppReady(bundleRoot) ? 0 : NEVER_READY;
        }
    }

    /** Whether any script of the bundle contains the text {@code notifyAppReady(}. */
    public static boolean callsNotifyAppReady(Path bundleRoot) {
        if (!Files.isDirectory(bundleRoot)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(bundleRoot)) {
            return walk.filter(Files::isRegularFile)
                    .filter(AppBehaviour::isScript)
                    .anyMatch(AppBehaviour::containsCall);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isScript(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".js")
                || n.endsWith(".mjs")
                || n.endsWith(".cjs")
                || n.endsWith(".html")
                || n.endsWith(".htm");
    }

    private static boolean containsCall(Path file) {
        byte[] buf = new byte[64 * 1024 + CALL.length];
        int carry = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf, carry, buf.length - carry)) > 0; ) {
                int len = carry + n;
                outer:
                for (int i = 0; i <= len - CALL.length; i++) {
                    for (int j = 0; j < CALL.length; j++) {
                        if (buf[i + j] != CALL[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
                carry = Math.min(CALL.length - 1, len);
                System.arraycopy(buf, len - carry, buf, 0, carry);
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.AFTER ? "after:" + afterMillis / 1000 : kind.name().toLowerCase(Locale.ROOT);
    }
}
