package dev.updraft.server.snapshot;

/**
 * A change to what the update check of one app depends on, fired by the service that makes it, inside its
 * transaction. {@link SnapshotRefresh} bumps the app's counter in that transaction and refreshes this instance's
 * snapshot once it has committed; a rolled-back change does neither.
 */
public record AppChanged(String appId, long appPk, Kind kind) {
    public enum Kind {
        /** Channels, bundles, rollouts, operator overrides, app settings: the whole snapshot is rebuilt. */
        APP,
        /** A device's own channel choice (for plugins that keep it on the server): only the device choices are reread. */
        DEVICE_CHOICE
    }

    public static AppChanged app(String appId, long appPk) {
        return new AppChanged(appId, appPk, Kind.APP);
    }

    public static AppChanged deviceChoice(String appId, long appPk) {
        return new AppChanged(appId, appPk, Kind.DEVICE_CHOICE);
    }
}
