package dev.updraft.server.console;

/** The console's fixed addresses. */
final class ConsolePaths {
    static final String ROOT = "/console";
    static final String LOGIN = "/console/login";
    static final String ASSETS = "/console/assets";

    private ConsolePaths() {}
}
