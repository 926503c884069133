package io.hulftark.platform.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A test double for an OS program (systemctl, logger): a small sh script in its own folder that
 * records every call's argv (its own path first) and answers from files named after its first
 * argument: {@code VERB.out} is printed, {@code VERB.rc} is the exit code, {@code VERB.sleep} seconds
 * are slept first. A file {@code ANY.*} answers every verb.
 */
final class StandInProgram {

    private static final String END = "--end-of-call--";

    private static final String SCRIPT = """
            #!/bin/sh
            here=$(dirname "$0")
            { printf '%s\\n' "$0"; for a in "$@"; do printf '%s\\n' "$a"; done; echo --end-of-call--; } >> "$here/calls"
            verb=ANY
            [ -f "$here/$1.rc" ] || [ -f "$here/$1.out" ] || [ -f "$here/$1.sleep" ] && verb=$1
            [ -f "$here/$verb.sleep" ] && sleep "$(cat "$here/$verb.sleep")"
            [ -f "$here/$verb.out" ] && cat "$here/$verb.out"
            [ -f "$here/$verb.rc" ] && exit "$(cat "$here/$verb.rc")"
            exit 0
            """;

    private final Path dir;
    private final Path program;

    StandInProgram(Path parent, String name) {
        try {
            dir = Files.createDirectories(parent.resolve(name + "-standin"));
            program = dir.resolve(name);
            Files.writeString(program, SCRIPT);
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String path() {
        return program.toString();
    }

    /** Makes {@code verb} print {@code output} (a line) and exit with {@code rc}. */
    StandInProgram answer(String verb, String output, int rc) {
        write(verb + ".out", output.isEmpty() ? "" : output + "\n");
        write(verb + ".rc", Integer.toString(rc));
        return this;
    }

    StandInProgram sleep(String verb, int seconds) {
        write(verb + ".sleep", Integer.toString(seconds));
        return this;
    }

    /** Every call so far, each as its argv with the program's path first. */
    List<List<String>> calls() {
        Path calls = dir.resolve("calls");
        List<List<String>> all = new ArrayList<>();
        if (!Files.exists(calls)) {
            return all;
        }
        List<String> current = new ArrayList<>();
        for (String line : read(calls)) {
            if (line.equals(END)) {
                all.add(List.copyOf(current));
                current.clear();
            } else {
                current.add(line);
            }
        }
        return all;
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String file, String content) {
        try {
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
