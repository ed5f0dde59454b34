package dev.updraft.server.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An admin key presented by a client at {@code clientAddress}; the key is never part of {@link #toString()}. */
public final class AdminKeyRequest extends BaseAuthenticationRequest {
    private final String key;
    private final String clientAddress;

    public AdminKeyRequest(String key, String clientAddress) {
        this.key = key;
        this.clientAddress = clientAddress;
    }

    String key() {
        return key;
    }

    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public String toString() {
        return "AdminKeyRequest[from " + clientAddress + "]";
    }
}
