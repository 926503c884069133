package io.hulftark.platform;

import java.time.Duration;
import java.util.List;

/**
 * Runs an external program from an argument list: never through a shell. A program that runs
 * past {@code bound} is killed with its whole process tree and reported as timed out.
 */
public interface CommandRunner {

    CommandResult run(List<String> argv, Duration bound);
}
