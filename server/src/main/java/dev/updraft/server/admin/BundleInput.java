package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.SessionKey;
import dev.updraft.crypto.SignedChecksum;
import dev.updraft.protocol.Identifier;
import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.Semver;
import dev.updraft.server.decision.BundleView;
import dev.updraft.server.decision.Rollout;
import dev.updraft.server.web.Ids;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code BundleIn} (docs/admin-api.md, "Bundles"): the bundle's content, and what to do with it. {@code
 * channel} links a channel to the bundle in the same transaction ({@code createChannel}: create it when missing);
 * {@code dryRun} checks everything and writes nothing. {@code rolloutBps}: link it as the channel's rollout bundle at
 * that share instead of as its stable bundle ({@code null}: stable).
 */
record BundleInput(
        String version,
        String externalUrl,
        String checksum,
        String sessionKey,
        String keyId,
        List<Dtos.ManifestEntry> manifest,
        String minUpdateVersion,
        String link,
        String comment,
        boolean breaking,
        String channel,
        boolean createChannel,
        boolean dryRun,
        Integer rolloutBps,
        List<Dtos.KeyVariant> variants) {

    static final Set<String> FIELDS = Set.of(
            "version",
            "external_url",
            "checksum",
            "session_key",
            "key_id",
            "manifest",
            "min_update_version",
            "link",
            "comment",
            "breaking",
            "channel",
            "create_channel",
            "dry_run",
            "rollout_percentage_bps",
            "variants");
    static final int MAX_MANIFEST = 10_000;
    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9+/]{20}");
    /** More keys than a team rotates through at once; keeps a release's update answers few. */
    static final int MAX_VARIANTS = 8;

    static final Set<String> VARIANT_FIELDS = Set.of("external_url", "checksum", "session_key", "key_id");
    private static final int MAX_TEXT = 4096;
    static final int MAX_VERSION = 255;

    static BundleInput from(Body b) {
        return from(b, true);
    }

    /**
     * {@code keyIdRequired = false}: an encrypted bundle may come without {@code key_id} (the Capgo CLI sends none);
     * devices then get it without the key id comparison, as from the official backend (docs/protocol.md, "The Capgo
     * CLI").
     */
    static BundleInput from(Body b, boolean keyIdRequired) {
        String version = b.string("version", true);
        // A manifest without a zip ("--delta-only") needs neither: devices check each file (docs/admin-api.md,
        // "Bundles").
        boolean manifestOnly = b.has("manifest") && !b.has("external_url");
        String url = b.string("external_url", !manifestOnly);
        String checksum = b.string("checksum", !manifestOnly);
        String sessionKey = b.string("session_key", false);
        String keyId = b.string("key_id", false);
        String minUpdate = b.string("min_update_version", false);
        String link = b.string("link", false);
        String comment = b.string("comment", false);
        boolean breaking = b.bool("breaking", false);
        String channel = b.string("channel", false);
        boolean createChannel = b.bool("create_channel", false);
        boolean dryRun = b.bool("dry_run", false);
        Integer rolloutBps =
                b.has("rollout_percentage_bps") ? b.integer("rollout_percentage_bps", 0, Rollout.ALL_BPS, 0) : null;
        if (rolloutBps != null && channel == null) {
            b.problem("rollout_percentage_bps", "needs the channel to roll out on: pass channel too");
        }
        boolean encrypted = sessionKey != null && !sessionKey.isEmpty();

        if (version != null) {
            Identifier.BUNDLE_VERSION.problem(version).ifPresent(problem -> b.problem("version", problem));
        }
        if (channel != null) {
            Identifier.CHANNEL_NAME.problem(channel).ifPresent(problem -> b.problem("channel", problem));
        } else if (createChannel) {
            b.problem("create_channel", "needs the channel to create: pass channel too");
        }
        if (url != null && (!BundleView.isUsableUrl(url) || url.length() > MAX_TEXT)) {
            b.problem("external_url", "must be an absolute https:// or http:// URL");
        }
        if (checksum != null) {
            if (encrypted && !SignedChecksum.isV3Hex(checksum)) {
                b.problem(
                        "checksum",
                        "an encrypted bundle needs the 512 lowercase hex digit checksum that 'bundle encrypt' prints");
            } else if (!encrypted && !BundleChecksum.isLowercaseHex(checksum)) {
                b.problem("checksum", "an unencrypted bundle needs the 64 lowercase hex digit SHA-256 of the zip");
            }
        }
        if (encrypted && !isSessionKey(sessionKey)) {
            b.problem(
                    "session_key",
                    "must be base64(16-byte IV):base64(256-byte wrapped key), as 'bundle encrypt' prints it");
        }
        if (encrypted && keyId == null && keyIdRequired) {
            b.problem(
                    "key_id",
                    "is required for an encrypted bundle (the first 20 characters of the public key's PEM body)");
        } else if (encrypted && keyId != null && !KEY_ID.matcher(keyId).matches()) {
            b.problem("key_id", "must be the first 20 base64 characters of the public key's PEM body");
        } else if (!encrypted && keyId != null && !keyId.isEmpty()) {
            b.problem("key_id", "is only for encrypted bundles (with a session_key)");
        }
        if (minUpdate != null && (minUpdate.length() > MAX_VERSION || !Semver.isValid(minUpdate))) {
            b.problem("min_update_version", "must be a semantic version");
        }
        if (link != null && link.length() > MAX_TEXT) {
            b.problem("link", "is longer than " + MAX_TEXT + " characters");
        }
        if (comment != null && comment.length() > MAX_TEXT) {
            b.problem("comment", "is longer than " + MAX_TEXT + " characters");
        }
        List<Dtos.ManifestEntry> manifest = manifest(b, b.raw("manifest"), encrypted);
        if (manifestOnly && url == null && manifest.isEmpty()) {
            b.problem("external_url", "is required unless the bundle has a manifest");
        }
        List<Dtos.KeyVariant> variants = variants(b, b.raw("variants"), encrypted, keyId, manifest);
        b.throwIfProblems();
        return new BundleInput(
                version,
                url == null ? "" : url,
                checksum == null ? "" : checksum,
                encrypted ? sessionKey : null,
                encrypted ? keyId : null,
                manifest,
                minUpdate,
                link,
                comment,
                breaking,
                channel,
                createChannel,
                dryRun,
                rolloutBps,
                variants);
    }

    /**
     * {@code variants}: the release encrypted for other keys, one per key id, each its own file (docs/admin-api.md,
     * "Key variants"). Only for an encrypted zip release: a delta manifest's payloads are encrypted with one session
     * key.
     */
    private static List<Dtos.KeyVariant> variants(
            Body b, JsonNode n, boolean encrypted, String keyId, List<Dtos.ManifestEntry> manifest) {
        List<Dtos.KeyVariant> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            b.problem("variants", "must be an array of {external_url, checksum, session_key, key_id}");
            return out;
        }
        if (n.isEmpty()) {
            return out;
        }
        if (!encrypted) {
            b.problem(
                    "variants", "are for an encrypted release: the first variant's session_key and key_id are missing");
            return out;
        }
        if (!manifest.isEmpty()) {
            b.problem("variants", "a delta release is encrypted for one key; publish a zip release for several keys");
            return out;
        }
        if (n.size() > MAX_VARIANTS) {
            b.problem("variants", "has more than " + MAX_VARIANTS + " entries");
            return out;
        }
        Set<String> keyIds = new HashSet<>();
        if (keyId != null) {
            keyIds.add(keyId);
        }
        for (int i = 0; i < n.size(); i++) {
            Dtos.KeyVariant v = variant(b, n.get(i), "variants[" + i + "]");
            if (v == null) {
                continue;
            }
            if (!keyIds.add(v.keyId())) {
                b.problem(
                        "variants[" + i + "].key_id",
                        "key id " + v.keyId() + " already has a variant in this release: one variant per key");
            }
            out.add(v);
        }
        return out;
    }

    /** One key variant, checked like the bundle's own encrypted fields; {@code null} (with problems) when invalid. */
    static Dtos.KeyVariant variant(Body b, JsonNode e, String where) {
        String at = where.isEmpty() ? "" : where + ".";
        if (e == null || !e.isObject()) {
            b.problem(where, "must be an object {external_url, checksum, session_key, key_id}");
            return null;
        }
        int problems = b.problemCount();
        for (java.util.Iterator<String> it = e.fieldNames(); it.hasNext() && !where.isEmpty(); ) {
            String f = it.next(); // a whole body's unknown fields are Body.parse's to report
            if (!VARIANT_FIELDS.contains(f)) {
                b.problem(at + f, "unknown field");
            }
        }
        String[] values = new String[4];
        String[] names = {"external_url", "checksum", "session_key", "key_id"};
        for (int i = 0; i < names.length; i++) {
            JsonNode v = e.get(names[i]);
            if (v == null || !v.isTextual() || Ids.hasNul(v.textValue())) {
                b.problem(at + names[i], "is required, a string");
            } else {
                values[i] = v.textValue();
            }
        }
        if (values[0] != null && (!BundleView.isUsableUrl(values[0]) || values[0].length() > MAX_TEXT)) {
            b.problem(at + "external_url", "must be an absolute https:// or http:// URL");
        }
        if (values[1] != null && !SignedChecksum.isV3Hex(values[1])) {
            b.problem(
                    at + "checksum",
                    "an encrypted variant needs the 512 lowercase hex digit checksum that 'bundle encrypt' prints");
        }
        if (values[2] != null && !isSessionKey(values[2])) {
            b.problem(
                    at + "session_key",
                    "must be base64(16-byte IV):base64(256-byte wrapped key), as 'bundle encrypt' prints it");
        }
        if (values[3] != null && !KEY_ID.matcher(values[3]).matches()) {
            b.problem(at + "key_id", "must be the first 20 base64 characters of the public key's PEM body");
        }
        return b.problemCount() > problems ? null : new Dtos.KeyVariant(values[3], values[0], values[1], values[2]);
    }

    private static List<Dtos.ManifestEntry> manifest(Body b, JsonNode n, boolean encrypted) {
        List<Dtos.ManifestEntry> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            b.problem("manifest", "must be an array of {file_name, file_hash, download_url[, size]}");
            return out;
        }
        if (n.size() > MAX_MANIFEST) {
            b.problem("manifest", "has more than " + MAX_MANIFEST + " entries");
            return out;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            String at = "manifest[" + i + "]";
            boolean sized = e.has("size");
            if (!e.isObject()
                    || e.size() != (sized ? 4 : 3)
                    || !e.path("file_name").isTextual()
                    || !e.path("file_hash").isTextual()
                    || !e.path("download_url").isTextual()) {
                b.problem(
                        at,
                        "must be an object with exactly the strings file_name, file_hash and download_url, and optionally size");
                continue;
            }
            Long size = null;
            if (sized) {
                JsonNode s = e.get("size");
                if (!s.canConvertToExactIntegral() || !s.canConvertToLong() || s.asLong() < 0) {
                    b.problem(at + ".size", "must be the payload's size in bytes, a whole number of at least 0");
                } else {
                    size = s.asLong();
                }
            }
            String name = e.get("file_name").textValue();
            String hash = e.get("file_hash").textValue();
            String url = e.get("download_url").textValue();
            if (!ManifestEntry.isSafeFileName(name)) {
                b.problem(
                        at + ".file_name", "must be a relative path with '/' separators, without '..', '\\\\' or NUL");
            } else if (!names.add(name.endsWith(".br") ? name.substring(0, name.length() - 3) : name)) {
                b.problem(at + ".file_name", "names the same file as an earlier entry");
            }
            if (encrypted ? !SignedChecksum.isV3Hex(hash) : !BundleChecksum.isLowercaseHex(hash)) {
                b.problem(
                        at + ".file_hash",
                        encrypted
                                ? "must be the 512 lowercase hex digit signed hash"
                                : "must be a 64 lowercase hex digit SHA-256");
            }
            if (!BundleView.isUsableUrl(url) || url.length() > MAX_TEXT || Ids.hasNul(name + hash + url)) {
                b.problem(at + ".download_url", "must be an absolute https:// or http:// URL");
            }
            out.add(new Dtos.ManifestEntry(name, hash, url, size));
        }
        return out;
    }

    /** The plugin's shape check, plus the sizes an RSA-2048 wrapped AES-128 key has. */
    static boolean isSessionKey(String s) {
        if (!SessionKey.hasSessionKeyShape(s) || s.indexOf(':') != s.lastIndexOf(':')) {
            return false;
        }
        try {
            String[] parts = s.split(":");
            return Base64.getDecoder().decode(parts[0]).length == 16
                    && Base64.getDecoder().decode(parts[1]).length == 256;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The bundle as it will be stored: for the answer of a dry run, where nothing is stored. */
    Dtos.Bundle toDto() {
        return new Dtos.Bundle(
                version,
                externalUrl,
                checksum,
                sessionKey == null ? "" : sessionKey,
                keyId,
                manifest,
                minUpdateVersion,
                link,
                comment,
                breaking,
                sessionKey != null,
                variants,
                null);
    }

    /** Same content as an existing bundle (for idempotent retries). */
    boolean sameAs(Dtos.Bundle b) {
        return version.equals(b.version())
                && externalUrl.equals(b.externalUrl())
                && checksum.equals(b.checksum())
                && Objects.equals(sessionKey == null ? "" : sessionKey, b.sessionKey())
                && Objects.equals(keyId, b.keyId())
                && manifest.equals(b.manifest())
                && Objects.equals(minUpdateVersion, b.minUpdateVersion())
                && Objects.equals(link, b.link())
                && Objects.equals(comment, b.comment())
                && breaking == b.breaking()
                && variants.equals(b.variants());
    }
}
