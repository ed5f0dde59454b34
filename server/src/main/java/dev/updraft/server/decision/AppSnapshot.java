package dev.updraft.server.decision;

import dev.updraft.protocol.Platform;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the update check needs to know about one app, immutable: its channels (with their bundles) and its
 * per-device overrides. Built from the database by the snapshot store; never queried per request.
 */
public final class AppSnapshot {
    /**
     * A device's channel, forced by an operator ({@code admin}) or chosen by the device with setChannel (stored only
     * for plugins that do not keep the choice themselves, docs/protocol.md §4.2).
     */
    public record Override(ChannelView channel, boolean admin) {}

    private final String appId;
    private final long appPk;
    private final long revision;
    private final long deviceChoicesRevision;
    private final List<ChannelView> channels;
    private final Map<String, ChannelView> byName;
    private final Map<String, Override> overrides;
    private final Map<Platform, ChannelView> publicDefault;
    private final boolean exposeMetadata;
    private final String defaultKeyId;
    private final DownloadUrls downloadUrls;

    public AppSnapshot(
            String appId,
            long appPk,
            long revision,
            Collection<ChannelView> channels,
            Map<String, Override> overrides) {
        this(appId, appPk, revision, false, channels, overrides);
    }

    /** @param exposeMetadata whether update answers may carry the bundles' {@code link} and {@code comment} */
    public AppSnapshot(
            String appId,
            long appPk,
            long revision,
            boolean exposeMetadata,
            Collection<ChannelView> channels,
            Map<String, Override> overrides) {
        this(appId, appPk, revision, 0, exposeMetadata, "", DownloadUrls.PUBLIC, channels, overrides);
    }

    /**
     * @param defaultKeyId the key whose variant of a release devices with an unknown key get ({@code ""}: the release's
     *                     first variant), docs/protocol.md §2.9 rule 7
     */
    public AppSnapshot(
            String appId,
            long appPk,
            long revision,
            long deviceChoicesRevision,
            boolean exposeMetadata,
            String defaultKeyId,
            Collection<ChannelView> channels,
            Map<String, Override> overrides) {
        this(
                appId,
                appPk,
                revision,
                deviceChoicesRevision,
                exposeMetadata,
                defaultKeyId,
                DownloadUrls.PUBLIC,
                channels,
                overrides);
    }

    /**
     * @param revision              the app's revision the snapshot was read at
     * @param deviceChoicesRevision the revision of the devices' own channel choices it holds
     * @param defaultKeyId          as above
     * @param downloadUrls          how devices get the bundle URLs (read after the decision, never by it)
     */
    public AppSnapshot(
            String appId,
            long appPk,
            long revision,
            long deviceChoicesRevision,
            boolean exposeMetadata,
            String defaultKeyId,
            DownloadUrls downloadUrls,
            Collection<ChannelView> channels,
            Map<String, Override> overrides) {
        this.exposeMetadata = exposeMetadata;
        this.defaultKeyId = defaultKeyId == null ? "" : defaultKeyId;
        this.downloadUrls = downloadUrls;
        this.appId = appId;
        this.appPk = appPk;
        this.revision = revision;
        this.deviceChoicesRevision = deviceChoicesRevision;
        this.channels = channels.stream()
                .sorted(Comparator.comparing(ChannelView::name).thenComparingLong(ChannelView::id))
                .toList();
        Map<String, ChannelView> names = new HashMap<>();
        this.channels.forEach(c -> names.put(c.name(), c));
        this.byName = Map.copyOf(names);
        this.overrides = Map.copyOf(overrides);
        Map<Platform, ChannelView> defaults = new EnumMap<>(Platform.class);
        for (Platform p : Platform.values()) {
            this.channels.stream()
                    .filter(c -> c.isPublic() && c.serves(p))
                    .findFirst()
                    .ifPresent(c -> defaults.put(p, c));
        }
        this.publicDefault = defaults;
    }

    public String appId() {
        return appId;
    }

    public long appPk() {
        return appPk;
    }

    public long revision() {
        return revision;
    }

    public long deviceChoicesRevision() {
        return deviceChoicesRevision;
    }

    /**
     * This snapshot with other device choices (device id to channel id) and their revision; operators' overrides, the
     * channels and everything else stay as they are. A choice of a channel this snapshot does not have is left out:
     * that channel is newer than the snapshot, whose own reload will bring the choice.
     */
    public AppSnapshot withDeviceChoices(long choicesRevision, Map<String, Long> channelByDevice) {
        Map<Long, ChannelView> byId = new HashMap<>();
        channels.forEach(c -> byId.put(c.id(), c));
        Map<String, Override> next = new HashMap<>();
        overrides.forEach((device, o) -> {
            if (o.admin()) {
                next.put(device, o);
            }
        });
        channelByDevice.forEach((device, channelPk) -> {
            ChannelView c = byId.get(channelPk);
            if (c != null) {
                next.putIfAbsent(device, new Override(c, false));
            }
        });
        return new AppSnapshot(
                appId, appPk, revision, choicesRevision, exposeMetadata, defaultKeyId, downloadUrls, channels, next);
    }

    /** The key id whose variant of a release goes to devices with an unknown key; {@code ""} for the first variant. */
    public String defaultKeyId() {
        return defaultKeyId;
    }

    /** Whether update answers may carry {@code link} and {@code comment} (to plugins that show them). */
    public boolean exposeMetadata() {
        return exposeMetadata;
    }

    public DownloadUrls downloadUrls() {
        return downloadUrls;
    }

    /** Sorted by name, then id. */
    public List<ChannelView> channels() {
        return channels;
    }

    public ChannelView channel(String name) {
        return byName.get(name);
    }

    /** The device's stored channel, whoever chose it, or {@code null}. */
    public Override override(String deviceId) {
        return overrides.get(deviceId);
    }

    /** The first public channel (by name) that serves the platform, or {@code null}. */
    public ChannelView publicDefault(Platform p) {
        return publicDefault.get(p);
    }
}
