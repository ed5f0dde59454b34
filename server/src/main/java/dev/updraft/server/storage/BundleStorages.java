package dev.updraft.server.storage;

import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.storage.s3.S3Bucket;
import dev.updraft.server.storage.s3.S3BundleStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;

/**
 * The one {@link BundleStorage} of the server, as {@code updraft.storage.kind} says (docs/operations.md, "Bundle
 * storage"): files on disk, or the objects of the {@code updraft.storage.s3.*} bucket (S3Bucket refuses to start with
 * {@code s3} but no bucket).
 */
@ApplicationScoped
public class BundleStorages {
    @Produces
    @ApplicationScoped
    BundleStorage storage(UpdraftConfig config, S3Bucket bucket) {
        Path root = config.storage().dir().orElse(config.dataDir().resolve("bundles"));
        return switch (config.storage().kind()) {
            case DISK -> new DiskBundleStorage(root);
            case S3 ->
                new S3BundleStorage(bucket, root.toAbsolutePath().normalize().resolve(".incoming"));
        };
    }
}
