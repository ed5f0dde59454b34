package dev.updraft.conformance;

import java.nio.file.Path;

/**
 * How a run drives its client.
 *
 * @param clientCommand the {@code --client} command line, run through {@code sh -c}
 * @param clientWorkDir where it runs (the caller's folder)
 * @param platform      {@code android} or {@code ios}: what the client plays, and how platform rules are judged
 */
record RunSettings(String clientCommand, Path clientWorkDir, String platform) {
    RunSettings {
        if (!platform.equals("android") && !platform.equals("ios")) {
            throw new IllegalArgumentException("--platform must be android or ios, not '" + platform + "'");
        }
    }
}
