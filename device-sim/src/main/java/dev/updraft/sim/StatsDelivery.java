package dev.updraft.sim;

import dev.updraft.protocol.StatsEvent;
import java.util.List;

/**
 * One POST to {@code statsUrl} and what became of it.
 *
 * @param events     the events sent
 * @param array      true for the main queue's JSON array, false for a single JSON object (§3.1)
 * @param httpStatus the answer's status, 0 when there was none
 * @param outcome    {@code delivered}, {@code requeued} (408/429/5xx/no answer) or {@code dropped} (other 4xx)
 */
public record StatsDelivery(List<StatsEvent> events, boolean array, int httpStatus, String outcome) {}
