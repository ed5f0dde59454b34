package dev.updraft.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets HotSpot's AES-NI code for CBC encryption compiled before a bundle streams through it. The C2 compiler swaps
 * that code in only once {@code CipherBlockChaining.implEncrypt} is compiled, after about 5,000 calls: in a
 * short-lived CLI process the real stream got there a quarter of a second in, so the first part of a bundle went
 * through the Java code, several times slower, on the process's critical path. Calls on one-block buffers, on a
 * daemon thread while the command line is still being parsed, get the compilation done before the first byte
 * (docs/operations.md, "Start-up time"). A throwaway key and buffer: nothing here touches a bundle or a secret.
 */
public final class JitWarmUp {
    /** Calls of {@code Cipher.update}: above C2's invocation threshold (Tier4InvocationThreshold, 5,000). */
    static final int CALLS = 6_000;

    private JitWarmUp() {}

    /** Starts the warm-up on a daemon thread and returns at once; the process never waits for it. */
    public static void startInBackground() {
        Thread t = new Thread(JitWarmUp::run, "updraft-jit-warm-up");
        t.setDaemon(true);
        t.start();
    }

    static void run() {
        try {
            byte[] block = new byte[16];
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new IvParameterSpec(block));
            for (int i = 0; i < CALLS; i++) {
                cipher.update(block, 0, block.length, block, 0);
            }
        } catch (GeneralSecurityException e) {
            // Only a missed warm-up: the real stream warms the compiler as it goes, and reports its own errors.
        }
    }
}
