package dev.updraft.sim;

import dev.updraft.protocol.Platform;
import dev.updraft.sim.store.Fault;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The simulator's typed options: each converter turns the text into the value the simulator uses, and a value its
 * parser refuses becomes a usage error (exit 2) that says what is accepted, never a stack trace.
 */
public final class OptionTypes {
    private OptionTypes() {}

    /** {@code --plugin-version}: a version the simulator can play (5.0.0 or later). */
    public static final class PluginVersion extends Parsed<PluginBehaviour> {
        public PluginVersion() {
            super(PluginBehaviour::of);
        }
    }

    /** {@code --platform}: android or ios (the plugin's platforms the simulator follows). */
    public static final class SimulatedPlatform extends Parsed<Platform> {
        public SimulatedPlatform() {
            super(DeviceConfig::platform);
        }
    }

    /** {@code --auto-update}: the plugin's directUpdate / autoUpdate modes. */
    public static final class AutoUpdate extends Parsed<AutoUpdateMode> {
        public AutoUpdate() {
            super(AutoUpdateMode::parse);
        }
    }

    /** {@code --app-ready}: when the app calls notifyAppReady. */
    public static final class AppReady extends Parsed<AppBehaviour> {
        public AppReady() {
            super(AppBehaviour::parse);
        }
    }

    /** {@code --deviation NAME}: a deliberate bug for conformance-kit tests. */
    public static final class DeviationName extends Parsed<Deviation> {
        public DeviationName() {
            super(Deviation::parse);
        }
    }

    /** {@code --fault PATH=KIND[:ARG][#TIMES]}. */
    public static final class StoreFault extends Parsed<Map.Entry<String, Fault>> {
        public StoreFault() {
            super(OptionTypes::fault);
        }
    }

    /** A duration: {@code 30s}, {@code 2m}, {@code 500ms}, {@code 1h}, or plain seconds. */
    public static final class TimeSpan extends Parsed<Duration> {
        public TimeSpan() {
            super(OptionTypes::duration);
        }
    }

    /** A converter over a parser that refuses a value with an {@link IllegalArgumentException} saying why. */
    abstract static class Parsed<T> implements ITypeConverter<T> {
        private final Function<String, T> parser;

        Parsed(Function<String, T> parser) {
            this.parser = parser;
        }

        @Override
        public final T convert(String value) {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Parses {@code PATH=KIND[:ARG][#TIMES]}. */
    public static Map.Entry<String, Fault> fault(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(
                    "a fault is PATH=KIND[:ARG][#TIMES], e.g. /bundles/app.zip=truncate:1000 or '*'=503; not '" + spec
                            + "'");
        }
        return Map.entry(spec.substring(0, eq).strip(), Fault.parse(spec.substring(eq + 1)));
    }

    static Duration duration(String value) {
        String s = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long unitMillis = s.endsWith("h") ? 3_600_000 : s.endsWith("m") ? 60_000 : 1000;
            String number = s.endsWith("h") || s.endsWith("m") || s.endsWith("s") ? s.substring(0, s.length() - 1) : s;
            double amount = Double.parseDouble(number);
            if (!(amount >= 0) || Double.isInfinite(amount)) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis((long) (amount * unitMillis));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "a duration is a number with ms, s, m or h (30s, 2m, 500ms, 1h); not '" + value + "'");
        }
    }
}
