package dev.updraft.server.ops;

import io.quarkus.runtime.QuarkusBindException;
import io.smallrye.config.ConfigValidationException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Words a failed start as one line for the operator: what failed and what to do (docs/operations.md, "Start-up
 * errors"). Never a class name or a stack trace, never a password.
 */
final class StartupFailure {
    private static final Pattern CONVERSION = Pattern.compile(
            "The config property (\\S+) with the config value \"(.*?)\" threw an Exception whilst being converted (.*)",
            Pattern.DOTALL);
    private static final Pattern SMALLRYE_CODE = Pattern.compile("SRCFG\\d+: ");
    /** How Quarkus reports a management interface that could not listen (its bind failure is the cause). */
    private static final Pattern MANAGEMENT_START =
            Pattern.compile("Unable to start the management interface on (.+):(\\d+)");

    private StartupFailure() {}

    /** The first rule that recognises the failure words it; the order matters (a bad setting fails everything after it). */
    static String describe(Throwable failure) {
        List<Throwable> chain = chain(failure);
        List<Function<List<Throwable>, String>> rules = List.of(
                StartupFailure::alreadyWorded, // 1. ours (the data folder), worded where it happened
                StartupFailure::badSetting, // 2. a value that does not convert: nothing was opened
                StartupFailure::publicPortUnusable, // 3. the public port is taken, or its address is not here
                StartupFailure::managementUnusable, // 4. the same for the management interface
                StartupFailure::databaseUnreachable, // 5. nothing answers at updraft.db.url
                StartupFailure::loginRefused, // 6. the database refused the credentials
                StartupFailure::databaseFailed); // 7. any other database error
        return rules.stream()
                .map(rule -> rule.apply(chain))
                .filter(Objects::nonNull)
                .findFirst()
                .orElseGet(() -> "failed to start: " + firstLine(deepestMessage(chain)) // 8. the unforeseen
                        + " (" + UpdraftMain.TRACE_ENV + "=true shows the details)");
    }

    private static String alreadyWorded(List<Throwable> chain) {
        return first(chain, StartupProblem.class).map(Throwable::getMessage).orElse(null);
    }

    private static String badSetting(List<Throwable> chain) {
        return first(chain, ConfigValidationException.class)
                .map(StartupFailure::badSettings)
                .orElse(null);
    }

    /** Quarkus throws its own bind exception for the public port only. */
    private static String publicPortUnusable(List<Throwable> chain) {
        return first(chain, QuarkusBindException.class)
                .map(bind -> {
                    String reason = firstLine(
                            bind.getCause() == null
                                    ? bind.getMessage()
                                    : bind.getCause().getMessage());
                    reason = reason.substring(reason.lastIndexOf(": ") + 1)
                            .strip(); // "Unable to bind to host: h and port: p: why"
                    return reason.contains("in use")
                            ? "port " + bind.getPort() + " is in use: another server is running, or choose --port"
                            : "cannot listen on " + bind.getHost() + ":" + bind.getPort() + " (" + reason
                                    + "): check quarkus.http.host";
                })
                .orElse(null);
    }

    /** The management interface fails with a plain bind exception under Quarkus' "Unable to start" message. */
    private static String managementUnusable(List<Throwable> chain) {
        Optional<BindException> bind = first(chain, BindException.class);
        Optional<Matcher> where = chain.stream()
                .map(t -> MANAGEMENT_START.matcher(String.valueOf(t.getMessage())))
                .filter(Matcher::find)
                .findFirst();
        if (bind.isEmpty() || where.isEmpty()) {
            return null;
        }
        String reason = firstLine(bind.get().getMessage());
        String host = where.get().group(1);
        String port = where.get().group(2);
        return reason.contains("in use")
                ? "management port " + port + " is in use: another server is running, or choose --management-port"
                : "cannot listen on " + host + ":" + port + " (" + reason + "): check updraft.management.host";
    }

    private static String databaseUnreachable(List<Throwable> chain) {
        boolean unreachable = first(chain, ConnectException.class).isPresent()
                || first(chain, UnknownHostException.class).isPresent()
                || sqlState(chain).startsWith("08");
        return unreachable
                ? "cannot reach the database at " + databaseUrl() + " (" + firstLine(deepestMessage(chain))
                        + "): start it, or check updraft.db.url"
                : null;
    }

    private static String loginRefused(List<Throwable> chain) {
        return sqlState(chain).startsWith("28")
                ? "the database at " + databaseUrl()
                        + " refused the login: check updraft.db.user and updraft.db.password"
                : null;
    }

    private static String databaseFailed(List<Throwable> chain) {
        return innermostSql(chain)
                .map(sql -> "the database at " + databaseUrl() + " failed: " + firstLine(sql.getMessage()))
                .orElse(null);
    }

    private static Optional<SQLException> innermostSql(List<Throwable> chain) {
        return chain.stream()
                .filter(SQLException.class::isInstance)
                .map(SQLException.class::cast)
                .reduce((outer, inner) -> inner);
    }

    private static String sqlState(List<Throwable> chain) {
        return innermostSql(chain).map(SQLException::getSQLState).orElse("").strip();
    }

    private static <T extends Throwable> Optional<T> first(List<Throwable> chain, Class<T> type) {
        return chain.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    private static String badSettings(ConfigValidationException invalid) {
        // One bad value can fail several names (quarkus.management.port=${updraft.management.port}): name it once,
        // by the operator's name for it.
        Map<String, String> byValueAndReason = new LinkedHashMap<>();
        for (int i = 0; i < invalid.getProblemCount(); i++) {
            String message = invalid.getProblem(i).getMessage();
            Matcher m = CONVERSION.matcher(message);
            if (m.find()) {
                String reason = firstLine(SMALLRYE_CODE.matcher(m.group(3)).replaceAll(""));
                String problem = m.group(1) + "=\"" + m.group(2) + "\": " + reason;
                byValueAndReason.merge(
                        m.group(2) + "\0" + reason,
                        problem,
                        (earlier, later) -> later.startsWith("updraft.") ? later : earlier);
            } else {
                String problem = firstLine(SMALLRYE_CODE.matcher(message).replaceAll(""));
                byValueAndReason.put(problem, problem);
            }
        }
        return "bad setting " + String.join("; ", byValueAndReason.values())
                + " (see docs/operations.md, \"Configuration reference\")";
    }

    /** The JDBC URL of the database in use, without its options (which may carry a password). */
    static String databaseUrl() {
        String url;
        try {
            Config config = ConfigProvider.getConfig();
            // updraft.db.url, not the datasource's URL: reading that would start the embedded database
            url = config.getOptionalValue("updraft.db.url", String.class).orElse("(updraft.db.url)");
        } catch (RuntimeException unavailable) {
            return "(updraft.db.url)";
        }
        return withoutCredentials(url);
    }

    static String withoutCredentials(String url) {
        String bare = url.replaceAll("[?;].*$", "");
        return bare.replaceAll("//[^/@]*@", "//");
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static String deepestMessage(List<Throwable> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            String m = chain.get(i).getMessage();
            if (m != null && !m.isBlank()) {
                return m;
            }
        }
        return "no detail given";
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip();
        int nl = line.indexOf('\n');
        return (nl < 0 ? line : line.substring(0, nl)).strip();
    }
}
