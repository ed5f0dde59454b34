package dev.updraft.server.device;

import dev.updraft.protocol.DeviceErrors;
import dev.updraft.protocol.StatsEvent;
import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.web.ApiException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The abuse budgets of {@code POST /stats} (docs/security-model.md, "Device API budgets"). A 429 with a retry hint
 * makes the plugin block every call of that device for up to 24 hours, so only the device that sends too many events
 * gets one; an app or an address over its budget as a whole gets 503 without a hint, which the plugin retries later
 * with the same batch: nothing acknowledged is lost, no honest device is locked out.
 */
@ApplicationScoped
public class StatsBudgets {
    /** The longest Retry-After a device is told to wait: the plugin blocks all its calls meanwhile. */
    static final long MAX_RETRY_AFTER_SECONDS = 60;

    private static final int MAX_DEVICES = 200_000;
    private static final int MAX_APPS = 10_000;
    private static final int MAX_ADDRESSES = 100_000;

    private final RateBudget devices;
    private final RateBudget apps;
    private final RateBudget addresses;

    @Inject
    public StatsBudgets(UpdraftConfig config) {
        UpdraftConfig.Stats.Budget budget = config.stats().budget();
        devices = new RateBudget(budget.deviceEventsPerMinute(), MAX_DEVICES);
        apps = new RateBudget(budget.appEventsPerMinute(), MAX_APPS);
        addresses = new RateBudget(budget.addressBytesPerMinute(), MAX_ADDRESSES);
    }

    /** Before parsing: the address's bytes; 503 without a hint when over. */
    void chargeAddress(String address, long bytes) {
        if (addresses.tryTake(address, bytes, System.nanoTime()) != 0) {
            throw overloaded("Too much stats traffic from this address; retry later");
        }
    }

    /**
     * The events of a request, by device and then for the app: 429 with {@code Retry-After} to a device over its own
     * budget, 503 without a hint when the app as a whole is over.
     */
    void chargeEvents(long appPk, List<StatsEvent> events) {
        Map<String, Integer> byDevice = new LinkedHashMap<>();
        events.forEach(e -> byDevice.merge(e.info().deviceId(), 1, Integer::sum));
        long now = System.nanoTime();
        for (Map.Entry<String, Integer> d : byDevice.entrySet()) {
            long waitNanos = devices.tryTake(appPk + "/" + d.getKey(), d.getValue(), now);
            if (waitNanos != 0) {
                long seconds = waitNanos == Long.MAX_VALUE
                        ? MAX_RETRY_AFTER_SECONDS
                        : (waitNanos + 999_999_999L) / 1_000_000_000L;
                throw new ApiException(
                        429,
                        DeviceErrors.TOO_MANY_REQUESTS,
                        "This device sends too many events; retry later",
                        null,
                        Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, seconds)));
            }
        }
        if (apps.tryTake(Long.toString(appPk), events.size(), now) != 0) {
            throw overloaded("This app receives too many events; retry later");
        }
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetRefilled() {
        long now = System.nanoTime();
        devices.forgetFull(now);
        apps.forgetFull(now);
        addresses.forgetFull(now);
    }

    private static ApiException overloaded(String message) {
        return new ApiException(503, DeviceErrors.OVERLOADED, message);
    }
}
