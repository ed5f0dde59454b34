package dev.updraft.sim;

/**
 * One change of a bundle's status in the registry.
 *
 * @param at       device time in ms
 * @param bundleId the bundle's id
 * @param version  its version name
 * @param from     the previous status, null for a new entry
 * @param to       the new status
 * @param reason   why, in a few words
 */
public record StatusChange(
        long at, String bundleId, String version, BundleStatus from, BundleStatus to, String reason) {
    @Override
    public String toString() {
        return version + ": " + (from == null ? "new" : from.wire()) + " -> " + to.wire() + " (" + reason + ")";
    }
}
