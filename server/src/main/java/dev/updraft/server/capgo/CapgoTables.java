package dev.updraft.server.capgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.protocol.Identifier;
import dev.updraft.server.admin.AdminCommands;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/**
 * The Capgo CLI's reads (apps, versions, channels as Capgo rows) and its channel and bundle writes, each mapped onto
 * the admin API's operation ({@link AdminCommands}) so validation, the audit log and the publishing order are the
 * admin API's (docs/protocol.md, "The Capgo CLI").
 */
@ApplicationScoped
public class CapgoTables {
    @Inject
    Session session;

    @Inject
    AdminCommands admin;

    @Inject
    ObjectMapper mapper;

    @Transactional
    public ObjectNode app(String appId) {
        return CapgoRows.app(app(appId, true));
    }

    @Transactional
    public ArrayNode apps() {
        ArrayNode out = mapper.createArrayNode();
        session.createSelectionQuery("from AppEntity order by appId", AppEntity.class)
                .getResultList()
                .forEach(a -> out.add(CapgoRows.app(a)));
        return out;
    }

    /** {@code POST /functions/v1/app}: {@code {app_id, name, ...}}; Capgo's onboarding fields mean nothing here. */
    public ObjectNode createApp(JsonNode body) {
        ObjectNode in = mapper.createObjectNode();
        in.set("app_id", body.get("app_id"));
        if (body.hasNonNull("name")) {
            in.set("name", body.get("name"));
        }
        String appId = admin.createApp(in.toString()).path("app_id").asText();
        return app(appId);
    }

    /** Live bundles, newest first, as {@code app_versions} rows. */
    @Transactional
    public ArrayNode versions(String appId) {
        AppEntity a = app(appId, true);
        ArrayNode out = mapper.createArrayNode();
        session.createSelectionQuery(
                        "from BundleEntity where appPk = :pk and deletedAt is null order by id desc",
                        BundleEntity.class)
                .setParameter("pk", a.id)
                .getResultList()
                .forEach(b -> out.add(CapgoRows.version(appId, b)));
        return out;
    }

    /** Whether the version name was ever used (names are never reused, not even after a delete). */
    @Transactional
    public boolean versionExists(String appId, String version) {
        AppEntity a = app(appId, false);
        return a != null
                && session.createSelectionQuery(
                                        "select count(*) from BundleEntity where appPk = :pk and version = :v",
                                        Long.class)
                                .setParameter("pk", a.id)
                                .setParameter("v", version)
                                .getSingleResult()
                        > 0;
    }

    /** Channels of the app, by name ({@code name}: only that one, {@code null}: all). */
    @Transactional
    public ArrayNode channels(String appId, String name, boolean embedVersion) {
        AppEntity a = app(appId, false);
        ArrayNode out = mapper.createArrayNode();
        if (a == null) {
            return out;
        }
        List<ChannelEntity> rows = session.createSelectionQuery(
                        "from ChannelEntity where appPk = :pk and (:name is null or name = :name) order by name",
                        ChannelEntity.class)
                .setParameter("pk", a.id)
                .setParameter("name", name)
                .getResultList();
        Map<Long, BundleEntity> bundles = new HashMap<>();
        for (ChannelEntity c : rows) {
            BundleEntity stable = c.bundlePk == null
                    ? null
                    : bundles.computeIfAbsent(c.bundlePk, id -> session.find(BundleEntity.class, id));
            out.add(CapgoRows.channel(appId, c, stable, embedVersion));
        }
        return out;
    }

    /**
     * {@code POST /functions/v1/channel}: {@code {app_id, channel, version?, public?, allow_device_self_set?}}
     * creates the channel or changes the fields given. A channel created without {@code public} is public when the
     * app has no public channel yet (as a first {@code bundle upload} does through the admin API).
     */
    public ObjectNode putChannel(JsonNode body) {
        String appId = required(body, "app_id");
        String name = required(body, "channel");
        ObjectNode in = mapper.createObjectNode();
        if (body.has("version")) {
            in.set("bundle", body.get("version"));
        }
        for (String f : List.of("public", "allow_device_self_set")) {
            if (body.has(f)) {
                in.set(f, body.get(f));
            }
        }
        if (channels(appId, name, false).isEmpty()) {
            if (!in.has("public")) {
                in.put("public", noPublicChannel(appId));
            }
            in.put("name", name);
            admin.createChannel(appId, in.toString());
        } else {
            admin.patchChannel(appId, name, in.toString());
        }
        JsonNode row = channels(appId, name, false).get(0);
        ObjectNode answer = mapper.createObjectNode();
        answer.set("id", row.get("id"));
        answer.set("public", row.get("public"));
        answer.set("name", row.get("name"));
        return answer;
    }

    /** {@code PUT /functions/v1/bundle}: {@code {app_id, version_id, channel_id}} links the channel to the bundle. */
    public void linkChannel(JsonNode body) {
        String appId = required(body, "app_id");
        long versionId = body.path("version_id").asLong(-1);
        long channelId = body.path("channel_id").asLong(-1);
        String[] names = names(appId, versionId, channelId);
        ObjectNode in = mapper.createObjectNode();
        in.put("bundle", names[0]);
        admin.patchChannel(appId, names[1], in.toString());
    }

    /** The bundle version and channel name of these ids, both of the app (404 otherwise). */
    @Transactional
    String[] names(String appId, long versionId, long channelId) {
        AppEntity a = app(appId, true);
        BundleEntity b = session.find(BundleEntity.class, versionId);
        ChannelEntity c = session.find(ChannelEntity.class, channelId);
        if (b == null || b.appPk != a.id || b.deletedAt != null) {
            throw ApiException.notFound("bundle_not_found", "No bundle with id " + versionId + " in this app");
        }
        if (c == null || c.appPk != a.id) {
            throw ApiException.notFound("channel_not_found", "No channel with id " + channelId + " in this app");
        }
        return new String[] {b.version, c.name};
    }

    public void deleteChannel(JsonNode body) {
        admin.deleteChannel(required(body, "app_id"), required(body, "channel"));
    }

    public void deleteBundle(JsonNode body) {
        admin.deleteBundle(required(body, "app_id"), required(body, "version"));
    }

    @Transactional
    boolean noPublicChannel(String appId) {
        return session.createSelectionQuery(
                                "select count(*) from ChannelEntity c, AppEntity a where c.appPk = a.id and a.appId = :app and c.isPublic = true",
                                Long.class)
                        .setParameter("app", appId)
                        .getSingleResult()
                == 0;
    }

    private AppEntity app(String appId, boolean required) {
        if (appId == null || !Identifier.APP_ID.matches(appId)) {
            throw ApiException.badRequest(
                    "validation_failed", "app_id must be a reverse-domain id such as com.example.app");
        }
        AppEntity a = session.createSelectionQuery("from AppEntity where appId = :id", AppEntity.class)
                .setParameter("id", appId)
                .uniqueResult();
        if (a == null && required) {
            throw ApiException.notFound("app_not_found", "No app '" + appId + "'");
        }
        return a;
    }

    static String required(JsonNode body, String field) {
        String v = CapgoUploads.text(body, field);
        if (v == null || v.isEmpty()) {
            throw ApiException.badRequest("validation_failed", field + " is required");
        }
        return v;
    }
}
