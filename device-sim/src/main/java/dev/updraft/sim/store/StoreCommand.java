package dev.updraft.sim.store;

import dev.updraft.sim.OptionTypes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code store}: serve a folder as the mock enterprise store until Ctrl-C. */
@Command(
        name = "store",
        sortOptions = false,
        description = {
            "Serve a folder like a company's storage/CDN: GET/HEAD with Range, PUT with a token, injectable faults.",
            "Faults: --fault PATH=KIND[:ARG][#TIMES], PATH '*' for all paths, 'PREFIX*' for every path under a prefix (e.g. the",
            "payloads of a delta release); KIND 404, 500, 503[:retryAfterSec], slow[:bytesPerSec], truncate[:bytes],",
            "wrong_length[:delta], flip[:offset], drop[:percent], hang[:bytes], reset. #TIMES = only the next TIMES requests.",
            "At run time: POST/GET/DELETE /_faults (JSON {path, kind, arg, times}), GET /_requests."
        })
public final class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "The folder to serve (created if missing).")
    Path dir;

    @Option(names = "--port", defaultValue = "0", description = "Port (default: any free port).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--upload-token",
            description = "Enables PUT (and protects /_faults) with Authorization: Bearer <token>.")
    String uploadToken;

    @Option(
            names = "--fault",
            paramLabel = "PATH=KIND[:ARG][#TIMES]",
            converter = OptionTypes.StoreFault.class,
            description = "A fault to inject; repeatable.")
    List<Map.Entry<String, Fault>> faults = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Map.Entry<String, Fault>> parsed = faults;
        MockStore store = MockStore.start(dir, host, port, uploadToken);
        parsed.forEach(e -> store.addFault(e.getKey(), e.getValue()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            store.close();
                            stopped.countDown();
                        },
                        "store-shutdown"));
        out.println("Mock store serving " + store.dir() + " at " + store.baseUrl() + "/");
        out.println(
                uploadToken == null
                        ? "uploads: off (no --upload-token)"
                        : "uploads: PUT with Authorization: Bearer <token>");
        if (!parsed.isEmpty()) {
            out.println("faults: " + store.faults());
        }
        out.println("Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
