package io.hulftark.lifekeeper;

import io.hulftark.kit.ServiceNames;
import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Tag → HULFT service name through LifeKeeper's {@code ins_list -t TAG}. Its fields are separated
 * by the byte 0x01 (LifeKeeper's default), never re-split on blanks or colons, so a service name
 * such as {@code HULFT8 Service} or {@code a:b} survives; field 6 is the resource's info.
 */
public final class InsList implements ServiceNames {

    static final char SEPARATOR = '\u0001';
    static final int INFO_FIELD = 6;

    private final Path insList;
    private final CommandRunner runner;
    private final Duration bound;

    public InsList(Path insList, CommandRunner runner, Duration bound) {
        this.insList = insList;
        this.runner = runner;
        this.bound = bound;
    }

    public static Path defaultPath(Path lkroot, boolean windows) {
        return lkroot.resolve("bin").resolve(windows ? "ins_list.exe" : "ins_list");
    }

    public List<String> argv(String tag) {
        return List.of(insList.toString(), "-t", tag);
    }

    @Override
    public Lookup lookup(String tag) {
        CommandResult r = runner.run(argv(tag), bound);
        if (r.timedOut()) {
            return new Lookup.Failed(insList + " did not answer within " + bound.toSeconds() + " s");
        }
        if (r.failedToStart() != null) {
            return new Lookup.Failed("cannot run " + insList + ": " + r.failedToStart());
        }
        return parse(tag, r.exitCode(), r.output());
    }

    /** LifeKeeper's state words are distinctive, so the field holding one is found without trusting an index. */
    private static String state(String[] fields) {
        for (int i = INFO_FIELD; i < fields.length; i++) {
            String f = fields[i].strip();
            if (f.equals("ISP") || f.equals("ISU") || f.equals("OSU") || f.equals("OSF")) {
                return f;
            }
        }
        return "";
    }

    static Lookup parse(String tag, int exitCode, String output) {
        for (String line : output.split("\r?\n")) {
            String[] fields = line.split(String.valueOf(SEPARATOR), -1);
            // A resource line has separators and the tag as one of its fields; a warning or a blank line has not.
            if (fields.length < 2 || !List.of(fields).contains(tag)) {
                continue;
            }
            String info = fields.length >= INFO_FIELD ? fields[INFO_FIELD - 1].strip() : "";
            return info.isEmpty()
                    ? new Lookup.NoServiceName("the info field of " + tag + " is empty")
                    : new Lookup.Found(info, state(fields));
        }
        String first = output.lines().map(String::strip).filter(s -> !s.isEmpty()).findFirst().orElse("");
        return new Lookup.NoSuchResource("ins_list -t " + tag + " exited with " + exitCode
                + (first.isEmpty() ? " and printed no resource" : ": " + first));
    }
}
