package dev.updraft.server.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.protocol.Identifier;
import dev.updraft.server.admin.Body;
import dev.updraft.server.admin.ChannelAdmin;
import dev.updraft.server.admin.DeviceAdmin;
import dev.updraft.server.admin.RolloutAdmin;
import dev.updraft.server.persistence.ConcurrentChangeException;
import dev.updraft.server.security.AuditLog;
import dev.updraft.server.web.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a confirmed console action through the service the admin API's resource calls (ChannelAdmin, RolloutAdmin,
 * DeviceAdmin), with the same body rules, and records it in the audit log as that API call, whatever the outcome, under
 * the name of the key the session was opened with (docs/console.md, "Actions").
 */
@ApplicationScoped
public class ConsoleActions {
    @Inject
    ChannelAdmin channels;

    @Inject
    RolloutAdmin rollouts;

    @Inject
    DeviceAdmin devices;

    @Inject
    AuditLog audit;

    @Inject
    ObjectMapper mapper;

    @Inject
    SecurityIdentity identity;

    /** A channel action; {@code version} and {@code shareBps} only for a start or a share change. */
    public void onChannel(
            ConsoleAction action, String appId, String channel, String version, int shareBps, String address) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app_id", appId);
        params.put("channel", channel);
        recorded(action, params, address, () -> {
            switch (action) {
                case START_ROLLOUT ->
                    patch(appId, channel, json("rollout_version", version, "rollout_percentage_bps", shareBps));
                case CHANGE_SHARE -> patch(appId, channel, json("rollout_percentage_bps", shareBps));
                case PAUSE -> rollouts.act(appId, channel, RolloutAdmin.Action.PAUSE);
                case RESUME -> rollouts.act(appId, channel, RolloutAdmin.Action.RESUME);
                case PROMOTE -> rollouts.act(appId, channel, RolloutAdmin.Action.PROMOTE);
                case ROLL_BACK -> rollouts.act(appId, channel, RolloutAdmin.Action.ROLLBACK);
                case SET_OVERRIDE -> throw new IllegalArgumentException("not a channel action: " + action);
            }
        });
    }

    /** Pins the device to the channel, as {@code PUT .../devices/{device_id}/override}. */
    public void setOverride(String appId, String deviceId, String channel, String address) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app_id", appId);
        params.put("device_id", deviceId);
        recorded(ConsoleAction.SET_OVERRIDE, params, address, () -> {
            // The rule DevicesResource applies to its body's "channel".
            Identifier.CHANNEL_NAME.problem(channel).ifPresent(p -> {
                throw ApiException.validation(List.of(new ApiException.Detail("channel", p)));
            });
            devices.setOverride(appId, deviceId, channel);
        });
    }

    private void patch(String appId, String channel, String json) {
        channels.patch(appId, channel, Body.parse(mapper, json, ChannelAdmin.FIELDS));
    }

    /** Runs the change, then records it with the status the admin API would have answered. */
    private void recorded(ConsoleAction action, Map<String, String> params, String address, Runnable change) {
        int status = 500;
        try {
            change.run();
            status = 200;
        } catch (ApiException e) {
            status = e.status();
            throw e;
        } catch (ConcurrentChangeException e) {
            status = 409;
            throw e;
        } finally {
            audit.write(new AuditLog.Entry(
                    null,
                    Instant.now(),
                    identity.getPrincipal().getName(),
                    address,
                    action.method,
                    action.route,
                    params,
                    status));
        }
    }

    private String json(Object... kv) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            body.put((String) kv[i], kv[i + 1]);
        }
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a console action's body", e);
        }
    }
}
