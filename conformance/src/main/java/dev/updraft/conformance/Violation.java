package dev.updraft.conformance;

/** A rule the client broke: the scenario fails with this message, which names the section it checks. */
final class Violation extends Exception {
    private static final long serialVersionUID = 1L;

    Violation(String message) {
        super(message);
    }
}
