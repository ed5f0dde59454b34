package dev.updraft.server.capgo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ChannelEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * Updraft's apps, bundles and channels as the rows of the Capgo CLI's tables ({@code apps}, {@code app_versions},
 * {@code channels}), with the columns the CLI 8.68.1 reads (recorded in the integration tests' resources). Capgo's
 * organisations and users have no meaning here: every app belongs to one fixed organisation and every admin key acts
 * as one user derived from its name (docs/protocol.md, "The Capgo CLI").
 */
final class CapgoRows {
    /** The one organisation every app belongs to. */
    static final String ORG_ID = "00000000-0000-4000-8000-00000000000a";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CapgoRows() {}

    static String userId(String keyName) {
        return UUID.nameUUIDFromBytes(
                        ("updraft admin key " + keyName).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ObjectNode app(AppEntity a) {
        ObjectNode n = object();
        n.put("app_id", a.appId);
        n.put("name", a.name);
        n.put("owner_org", ORG_ID);
        n.put("need_onboarding", false);
        n.put("icon_url", "");
        n.put("created_at", iso(a.createdAt));
        n.put("updated_at", iso(a.createdAt));
        return n;
    }

    static ObjectNode version(String appId, BundleEntity b) {
        ObjectNode n = object();
        n.put("id", b.id);
        n.put("name", b.version);
        n.put("app_id", appId);
        n.put("checksum", b.checksum);
        n.put("session_key", b.sessionKey);
        n.put("external_url", b.externalUrl.isEmpty() ? null : b.externalUrl);
        n.put("storage_provider", "external");
        n.put("min_update_version", b.minUpdateVersion);
        n.putNull("native_packages");
        n.put("link", b.link);
        n.put("comment", b.comment);
        n.put("owner_org", ORG_ID);
        n.put("deleted", b.deletedAt != null);
        n.put("created_at", iso(b.createdAt));
        n.put("updated_at", iso(b.createdAt));
        return n;
    }

    /**
     * A channel row; {@code version} and {@code rollout_version} are the bundles' ids, or (with {@code versions}
     * looked up, for a select that embeds {@code version(...)}) the bundle rows.
     */
    static ObjectNode channel(String appId, ChannelEntity c, BundleEntity stable, boolean embed) {
        ObjectNode n = object();
        n.put("id", c.id);
        n.put("name", c.name);
        n.put("app_id", appId);
        n.put("owner_org", ORG_ID);
        n.put("public", c.isPublic);
        if (embed) {
            n.set("version", stable == null ? null : version(appId, stable));
        } else {
            n.put("version", c.bundlePk);
        }
        n.put("rollout_version", c.rolloutBundlePk);
        n.put("rollout_enabled", c.rolloutEnabled);
        n.put("rollout_percentage_bps", c.rolloutPercentageBps);
        n.put("allow_device_self_set", c.allowDeviceSelfSet);
        n.put("ios", c.ios);
        n.put("android", c.android);
        n.put("electron", c.electron);
        n.put("allow_dev", c.allowDev);
        n.put("allow_prod", c.allowProd);
        n.put("allow_device", c.allowDevice);
        n.put("allow_emulator", c.allowEmulator);
        n.put("disable_auto_update", c.disableAutoUpdate);
        n.put("disable_auto_update_under_native", c.disableAutoUpdateUnderNative);
        n.put("created_at", iso(c.createdAt));
        n.put("updated_at", iso(c.updatedAt));
        return n;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
