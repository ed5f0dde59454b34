package dev.updraft.protocol;

/**
 * The {@code error} codes of the device API's answers that are neither a bad body ({@link ProtocolException}) nor an
 * update-check outcome ({@link UpdateError}): answered with {@code {"error","message"}} on every device endpoint
 * (docs/protocol.md §1.5, §1.6).
 */
public final class DeviceErrors {
    /**
     * HTTP 429, no retry hint: the app is not registered on this server. The Capgo cloud's answer for an app it does
     * not host; without a hint the plugin does not block itself, so registering the app takes effect at the next call.
     */
    public static final String ON_PREMISE_APP = "on_premise_app";
    /**
     * HTTP 429 with {@code Retry-After}: this device is over its budget. The plugin blocks all its calls until then
     * (at most 24 h) and sends one {@code rate_limit_reached} event.
     */
    public static final String TOO_MANY_REQUESTS = "too_many_requests";
    /** HTTP 503, no retry hint: the app or the address as a whole is over its budget; the plugin retries later. */
    public static final String OVERLOADED = "overloaded";

    private DeviceErrors() {}
}
