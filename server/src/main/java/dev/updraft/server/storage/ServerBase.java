package dev.updraft.server.storage;

import dev.updraft.server.config.UpdraftConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/** The server's public base URL: {@code updraft.storage.public-url}, else the one the request came in on. */
@ApplicationScoped
public class ServerBase {
    @Inject
    UpdraftConfig config;

    public URI of(UriInfo uri) {
        String base = config.storage().publicUrl().orElse(uri.getBaseUri().toString());
        return URI.create(base.endsWith("/") ? base : base + "/");
    }
}
