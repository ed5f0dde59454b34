package dev.updraft.server.security;

/** The role every admin credential grants; admin resources are {@code @RolesAllowed(AdminRole.ADMIN)}. */
public final class AdminRole {
    public static final String ADMIN = "admin";

    private AdminRole() {}
}
