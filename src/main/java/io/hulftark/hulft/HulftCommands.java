package io.hulftark.hulft;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * HULFT's own commands in its bin folder ({@code $exe_path}), as argument lists: each path stays one
 * argument, spaces and all, because nothing here goes through a shell.
 */
public final class HulftCommands {

    /** HULFT's manuals spell it utlsvcctl; the original kit's spec says utlsvctl. Try the manuals first. */
    private static final List<String> SERVICE_CONTROL = List.of("utlsvcctl", "utlsvctl");
    private static final String ALIVE_CHECK = "utlalivecheck";

    private final Path exePath;
    private final boolean windows;

    public HulftCommands(Path exePath, boolean windows) {
        this.exePath = Objects.requireNonNull(exePath, "exePath");
        this.windows = windows;
    }

    public Path exePath() {
        return exePath;
    }

    /** The service control command, looked up on every call: the bin folder may sit on a shared disk. */
    public Optional<Path> serviceControl() {
        return SERVICE_CONTROL.stream().map(this::usable).flatMap(Optional::stream).findFirst();
    }

    public Optional<Path> aliveCheck() {
        return usable(ALIVE_CHECK);
    }

    public List<String> startArgv() {
        return List.of(required(serviceControl(), SERVICE_CONTROL), "-c", "start");
    }

    public List<String> stopArgv() {
        return List.of(required(serviceControl(), SERVICE_CONTROL), "-c", "stop");
    }

    /** HULFT 8 and 10 refuse utlalivecheck without -h, so the host is always given. */
    public List<String> aliveCheckArgv(String host, int port, int waitSeconds) {
        return List.of(required(aliveCheck(), List.of(ALIVE_CHECK)), "-h", host, "-p", Integer.toString(port),
                "-w", Integer.toString(waitSeconds));
    }

    private Optional<Path> usable(String name) {
        Path p = exePath.resolve(windows ? name + ".exe" : name);
        boolean ok = Files.isRegularFile(p) && (windows || Files.isExecutable(p));
        return ok ? Optional.of(p) : Optional.empty();
    }

    private String required(Optional<Path> found, List<String> names) {
        return found.map(Path::toString).orElseThrow(() -> new IllegalStateException("no " + describe(names)
                + " in " + exePath + (windows ? "" : " (or not executable)")));
    }

    private String describe(List<String> names) {
        String ext = windows ? ".exe" : "";
        return String.join(" or ", names.stream().map(n -> n + ext).toList());
    }
}
