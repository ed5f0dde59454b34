package dev.updraft.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.server.security.PathIdentifiers;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Over every resource class of the server: each says who may call it at class level (admin role, or public for the
 * three device resources and the console's login page only), no method overrides that, and every path parameter has an identifier rule.
 */
class ResourceRulesTest {
    private static final Pattern PARAM = Pattern.compile("\\{\\s*([^}:\\s]+)");

    static List<Class<?>> resources() throws IOException {
        Path root = Path.of("target", "classes");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/updraft/server"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class<?> c = Class.forName(name, false, ResourceRulesTest.class.getClassLoader());
                    if (c.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                        out.add(c);
                    }
                } catch (ClassNotFoundException | NoClassDefFoundError e) {
                    throw new AssertionError("cannot load " + name, e);
                }
            }
        }
        return out;
    }

    @Test
    void everyResourceDeclaresItsAccess_andOnlyTheDeviceApiIsPublic() throws IOException {
        Set<String> publicOnes = new TreeSet<>();
        List<Class<?>> resources = resources();
        assertThat(resources).hasSizeGreaterThanOrEqualTo(10);
        for (Class<?> c : resources) {
            boolean admin = c.isAnnotationPresent(RolesAllowed.class);
            boolean open = c.isAnnotationPresent(PermitAll.class);
            assertThat(admin ^ open)
                    .as(c + " has exactly one of @RolesAllowed / @PermitAll")
                    .isTrue();
            if (open) {
                publicOnes.add(c.getSimpleName());
            } else {
                assertThat(c.getAnnotation(RolesAllowed.class).value()).containsExactly("admin");
            }
            for (Method m : c.getDeclaredMethods()) {
                assertThat(m.isAnnotationPresent(PermitAll.class)
                                || m.isAnnotationPresent(RolesAllowed.class)
                                || m.isAnnotationPresent(DenyAll.class))
                        .as("%s.%s overrides its class's access rule", c.getSimpleName(), m.getName())
                        .isFalse();
            }
        }
        // The console's login page is the one public page that is not a device or file route (docs/console.md).
        assertThat(publicOnes)
                .containsExactly(
                        "BundleFilesResource",
                        "CapgoFilesConfigResource",
                        "CapgoPublicResource",
                        "CapgoUploadResource",
                        "ChannelSelfResource",
                        "ConsoleLoginResource",
                        "StatsResource",
                        "UpdatesResource");
    }

    @Test
    void everyPathParameterHasAnIdentifierRule() throws IOException {
        Set<String> seen = new TreeSet<>();
        for (Class<?> c : resources()) {
            List<String> templates = new ArrayList<>();
            templates.add(c.getAnnotation(jakarta.ws.rs.Path.class).value());
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    templates.add(m.getAnnotation(jakarta.ws.rs.Path.class).value());
                }
            }
            for (String t : templates) {
                Matcher matcher = PARAM.matcher(t);
                while (matcher.find()) {
                    seen.add(matcher.group(1));
                }
            }
        }
        assertThat(PathIdentifiers.RULES.keySet()).containsAll(seen);
        assertThat(seen).contains("app_id", "version", "channel", "device_id", "key_name");
    }
}
