package dev.updraft.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The warm-up must get C2 to compile CBC encryption (where HotSpot's AES-NI code lives) without any bundle: a child
 * JVM runs only {@link JitWarmUp#run} and prints its compilations; without the warm-up's calls nothing compiles
 * {@code CipherBlockChaining::implEncrypt}, so this fails.
 */
class JitWarmUpTest {
    private static final String IMPL_ENCRYPT = "com.sun.crypto.provider.CipherBlockChaining::implEncrypt (";
    /**
     * A PrintCompilation line of a tier-4 compile of the whole method: timestamp, compile id, flags other than '%'
     * (on-stack replacement, which is not the entry the stream calls), tier 4.
     */
    private static final Pattern C2_COMPILE =
            Pattern.compile("^\\s*\\d+\\s+\\d+\\s+[sbn!]*\\s*4\\s+" + Pattern.quote(IMPL_ENCRYPT));

    /** The child: the warm-up, then ten seconds for the compiler to finish (it takes well under one), then the end. */
    public static final class Probe {
        public static void main(String[] args) throws InterruptedException {
            JitWarmUp.run();
            System.out.println("warm-up done");
            Thread.sleep(10_000);
        }
    }

    @Test
    void theWarmUpAloneGetsCbcEncryptionCompiledByC2() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-XX:+PrintCompilation",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Probe.class.getName())
                .redirectErrorStream(true)
                .start();
        List<String> seen = new ArrayList<>();
        String c2Line = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (c2Line == null && (line = out.readLine()) != null) {
                if (line.contains(IMPL_ENCRYPT)) {
                    seen.add(line);
                    if (C2_COMPILE.matcher(line).find() && !line.contains("made not entrant")) {
                        c2Line = line;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(c2Line)
                .as("a tier-4 (C2) compilation of implEncrypt; its compilations seen: %s", seen)
                .isNotNull();
    }
}
