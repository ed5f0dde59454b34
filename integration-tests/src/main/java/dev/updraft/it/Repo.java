package dev.updraft.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and its packaged artifacts are. */
public final class Repo {
    private Repo() {}

    /** The repository root: the first folder up from the working directory that holds {@code mvnw} and {@code updraft}. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("mvnw"))
                    && Files.isRegularFile(d.resolve("updraft"))
                    && Files.isDirectory(d.resolve("server"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the Updraft repository above " + dir);
    }

    public static Path serverJar() {
        return artifact("server/target/quarkus-app/quarkus-run.jar");
    }

    public static Path cliJar() {
        return artifact("cli/target/updraft-cli.jar");
    }

    public static Path simJar() {
        return artifact("device-sim/target/updraft-sim.jar");
    }

    private static Path artifact(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(
                    relative + " is missing: build it first with ./mvnw -B install -DskipTests");
        }
        return p;
    }

    /** The java executable of the running JVM, so child processes use the same JDK. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
