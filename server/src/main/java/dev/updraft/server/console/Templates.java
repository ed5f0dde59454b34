package dev.updraft.server.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/** The console's pages, {@code templates/console/*.html}; expressions are checked against these types at build. */
@CheckedTemplate(basePath = "console")
final class Templates {
    private Templates() {}

    /** What every page's frame shows: its title, the key logged in (null on the login page) and the logout form. */
    record Frame(String title, String keyName, String csrf, String notice) {
        static Frame anonymous(String title) {
            return new Frame(title, null, null, null);
        }
    }

    /** A hidden form field of a confirmation page. */
    record Field(String name, String value) {}

    /** The confirmation step of an action: what it will do, and the form that does it. */
    record Confirm(String title, String question, String action, List<Field> fields, String cancel) {}

    static native TemplateInstance login(Frame frame, String error, String csrf);

    static native TemplateInstance error(Frame frame, int status, String message);

    static native TemplateInstance apps(Frame frame, List<Views.AppRow> apps);

    static native TemplateInstance app(Frame frame, Views.AppPage page);

    static native TemplateInstance release(Frame frame, Views.ReleasePage page);

    static native TemplateInstance devices(Frame frame, Views.DeviceSearch page);

    static native TemplateInstance device(Frame frame, Views.DevicePage page);

    static native TemplateInstance audit(Frame frame, Views.AuditPage page);

    static native TemplateInstance confirm(Frame frame, Confirm confirm);
}
