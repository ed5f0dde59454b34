package dev.updraft.server.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;

/** Fixed facts the templates print ({@code inject:consoleInfo}). */
@Named("consoleInfo")
@ApplicationScoped
public class ConsoleInfo {
    /** The hours a release page may show. */
    static final List<Integer> HOUR_CHOICES = List.of(24, 48, 168, 720);

    static final int DEFAULT_HOURS = 48;

    public String lifetime() {
        return ConsoleSessions.LIFETIME.toHours() + " hours";
    }

    public List<Integer> hourChoices() {
        return HOUR_CHOICES;
    }
}
