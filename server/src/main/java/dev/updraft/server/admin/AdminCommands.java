package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The admin API's writes for another front end (the Capgo-compatible surface, docs/protocol.md "The Capgo CLI"): it
 * hands in the same JSON bodies as {@code /api/v1/...} and gets the same answers as JSON, so the body is validated by
 * the same code and the change is made by the same service, in the same order, as through the admin API.
 */
@ApplicationScoped
public class AdminCommands {
    @Inject
    ObjectMapper mapper;

    @Inject
    AppAdmin apps;

    @Inject
    BundleAdmin bundles;

    @Inject
    ChannelAdmin channels;

    /** {@code POST /api/v1/apps}. */
    public JsonNode createApp(String json) {
        return mapper.valueToTree(AppsResource.create(apps, Body.parse(mapper, json, AppsResource.FIELDS)));
    }

    /** {@code GET /api/v1/apps/{app_id}}. */
    public JsonNode app(String appId) {
        return mapper.valueToTree(apps.get(appId));
    }

    /**
     * {@code POST /api/v1/apps/{app_id}/bundles}: the answer is the {@code Published} record. {@code keyIdRequired}:
     * false for a client that cannot know the key id (BundleInput).
     */
    public JsonNode publish(String appId, String json, boolean keyIdRequired) {
        BundleInput in = BundleInput.from(Body.parse(mapper, json, BundleInput.FIELDS), keyIdRequired);
        return mapper.valueToTree(bundles.publish(appId, in));
    }

    /** {@code GET /api/v1/apps/{app_id}/bundles/{version}}. */
    public JsonNode bundle(String appId, String version) {
        return mapper.valueToTree(bundles.get(appId, version));
    }

    /** {@code DELETE /api/v1/apps/{app_id}/bundles/{version}}. */
    public void deleteBundle(String appId, String version) {
        bundles.delete(appId, version);
    }

    /** {@code POST /api/v1/apps/{app_id}/channels}. */
    public JsonNode createChannel(String appId, String json) {
        return mapper.valueToTree(channels.create(appId, Body.parse(mapper, json, ChannelAdmin.FIELDS)));
    }

    /** {@code PATCH /api/v1/apps/{app_id}/channels/{name}}. */
    public JsonNode patchChannel(String appId, String name, String json) {
        return mapper.valueToTree(channels.patch(appId, name, Body.parse(mapper, json, ChannelAdmin.FIELDS)));
    }

    /** {@code DELETE /api/v1/apps/{app_id}/channels/{name}}. */
    public void deleteChannel(String appId, String name) {
        channels.delete(appId, name);
    }
}
