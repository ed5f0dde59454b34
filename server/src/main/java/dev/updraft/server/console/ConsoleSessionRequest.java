package dev.updraft.server.console;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A console session id presented in the session cookie; the id is never part of {@link #toString()}. */
public final class ConsoleSessionRequest extends BaseAuthenticationRequest {
    private final String sessionId;

    ConsoleSessionRequest(String sessionId) {
        this.sessionId = sessionId;
    }

    String sessionId() {
        return sessionId;
    }

    @Override
    public String toString() {
        return "ConsoleSessionRequest[redacted]";
    }
}
