package dev.updraft.server.console;

/**
 * What an operator can do from the console, each with the admin API call it is the same as: the same service runs it
 * and the audit log records it under that call's method and route (docs/console.md, "Actions").
 */
public enum ConsoleAction {
    START_ROLLOUT("Start a rollout", "PATCH", "/api/v1/apps/{app_id}/channels/{channel}"),
    CHANGE_SHARE("Change the rollout's share", "PATCH", "/api/v1/apps/{app_id}/channels/{channel}"),
    PAUSE("Pause the rollout", "POST", "/api/v1/apps/{app_id}/channels/{channel}/rollout/pause"),
    RESUME("Resume the rollout", "POST", "/api/v1/apps/{app_id}/channels/{channel}/rollout/resume"),
    PROMOTE("Promote the rollout", "POST", "/api/v1/apps/{app_id}/channels/{channel}/rollout/promote"),
    ROLL_BACK("Roll back the rollout", "POST", "/api/v1/apps/{app_id}/channels/{channel}/rollout/rollback"),
    SET_OVERRIDE("Set the device's channel", "PUT", "/api/v1/apps/{app_id}/devices/{device_id}/override");

    /** The title of its confirmation page and button. */
    public final String title;
    /** The admin API method and route template it is recorded as. */
    public final String method;

    public final String route;

    ConsoleAction(String title, String method, String route) {
        this.title = title;
        this.method = method;
        this.route = route;
    }
}
