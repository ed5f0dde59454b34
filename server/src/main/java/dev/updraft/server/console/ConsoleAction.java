package dev.updraft.server.console;

/**
 * What an operator can do from the console, each with the admin API call it is the same as: the same service runs it
 * and the audit log records it under that call's method and route (docs/console.md, "Actions").
 */
public enum ConsoleAction {
    START_ROLLOUT("Start a rollout", "start", "PATCH", "/api/v1/apps/{app_id}/channels/{channel}", ""),
    CHANGE_SHARE("Change the rollout's share", "share", "PATCH", "/api/v1/apps/{app_id}/channels/{channel}", ""),
    PAUSE(
            "Pause the rollout",
            "pause",
            "POST",
            "/api/v1/apps/{app_id}/channels/{channel}/rollout/pause",
            "Pause the rollout on '%s'? No new device joins it; devices that run its bundle keep it."),
    RESUME(
            "Resume the rollout",
            "resume",
            "POST",
            "/api/v1/apps/{app_id}/channels/{channel}/rollout/resume",
            "Resume the rollout on '%s'? Devices of its share join it again."),
    PROMOTE(
            "Promote the rollout",
            "promote",
            "POST",
            "/api/v1/apps/{app_id}/channels/{channel}/rollout/promote",
            "Promote the rollout on '%s'? Its bundle becomes the stable one, for every device."),
    ROLL_BACK(
            "Roll back the rollout",
            "rollback",
            "POST",
            "/api/v1/apps/{app_id}/channels/{channel}/rollout/rollback",
            "Roll back the rollout on '%s'? It ends; every device gets the stable bundle on its next check."),
    SET_OVERRIDE(
            "Set the device's channel", "override", "PUT", "/api/v1/apps/{app_id}/devices/{device_id}/override", "");

    /** The title of its confirmation page and button. */
    public final String title;
    /** The last segment of its console address. */
    public final String slug;
    /** The admin API method and route template it is recorded as. */
    public final String method;

    public final String route;
    /** The confirmation's question about a channel (%s), for the actions that take nothing else. */
    final String question;

    ConsoleAction(String title, String slug, String method, String route, String question) {
        this.title = title;
        this.slug = slug;
        this.method = method;
        this.route = route;
        this.question = question;
    }
}
