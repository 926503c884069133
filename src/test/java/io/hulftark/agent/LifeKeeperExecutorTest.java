package io.hulftark.agent;

import io.hulftark.agent.AgentFakes.FakeExecutor;
import io.hulftark.kit.Action;
import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class LifeKeeperExecutorTest {

    private static final Path PERFORM_ACTION = Path.of("/opt/Life Keeper/bin/perform_action");
    private static final Duration BOUND = Duration.ofSeconds(330);

    /** Records every argument list and bound; answers as told. */
    static final class FakeRunner implements CommandRunner {
        final List<List<String>> calls = new ArrayList<>();
        final List<Duration> bounds = new ArrayList<>();
        Function<List<String>, CommandResult> answer = argv -> result(0, "");

        @Override
        public CommandResult run(List<String> argv, Duration bound) {
            calls.add(List.copyOf(argv));
            bounds.add(bound);
            return answer.apply(argv);
        }
    }

    private static CommandResult result(int exit, String output) {
        return new CommandResult(exit, output, false, null, Duration.ofMillis(20));
    }

    private final FakeRunner runner = new FakeRunner();
    private final FakeExecutor direct = new FakeExecutor();
    private final LifeKeeperExecutor executor = new LifeKeeperExecutor(PERFORM_ACTION, runner, BOUND, direct);

    @Test
    void restore_runs_perform_action_with_the_exact_argv() {
        ActionExecutor.Outcome o = executor.execute(Action.RESTORE, "HULFT-1");
        assertThat(runner.calls).containsExactly(
                List.of("/opt/Life Keeper/bin/perform_action", "-t", "HULFT-1", "-a", "restore"));
        assertThat(runner.bounds).containsExactly(BOUND);
        assertThat(o.exitCode()).isZero();
        assertThat(o.messages()).isEmpty();
        assertThat(direct.ran).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Action.class, names = {"RESTORE", "REMOVE", "RECOVER"})
    void each_changing_action_goes_through_lifekeeper(Action action) {
        executor.execute(action, "tag with space");
        assertThat(runner.calls).singleElement()
                .isEqualTo(List.of(PERFORM_ACTION.toString(), "-t", "tag with space", "-a", action.word()));
        assertThat(executor.mode(action)).isEqualTo("lifekeeper");
        assertThat(executor.argv(action, "T")).hasSize(5).startsWith(PERFORM_ACTION.toString());
    }

    @Test
    void exit_code_and_output_lines_are_passed_through() {
        runner.answer = argv -> result(3, "  first line  \r\n\n\tsecond line\nthird\n\n");
        ActionExecutor.Outcome o = executor.execute(Action.REMOVE, "T");
        assertThat(o.exitCode()).isEqualTo(3);
        assertThat(o.messages()).containsExactly("first line", "second line", "third");
    }

    @Test
    void output_is_bounded_to_200_lines() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            out.append("line ").append(i).append('\n');
        }
        runner.answer = argv -> result(0, out.toString());
        ActionExecutor.Outcome o = executor.execute(Action.RESTORE, "T");
        assertThat(o.messages()).hasSize(200).startsWith("line 0").endsWith("line 199");
    }

    @Test
    void timeout_is_exit_1_with_a_message_after_the_output() {
        runner.answer = argv -> new CommandResult(-1, "restoring...\n", true, null, BOUND);
        ActionExecutor.Outcome o = executor.execute(Action.RESTORE, "T");
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.messages()).containsExactly("restoring...", "perform_action did not end within 330 s and was killed");
    }

    @Test
    void failing_to_start_is_exit_1_naming_the_program() {
        runner.answer = argv -> new CommandResult(-1, "", false, "No such file or directory", Duration.ZERO);
        ActionExecutor.Outcome o = executor.execute(Action.RECOVER, "T");
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.messages()).singleElement().asString()
                .contains(PERFORM_ACTION.toString()).contains("No such file or directory");
    }

    @Test
    void quick_check_goes_to_the_direct_executor() {
        direct.outcome = a -> new ActionExecutor.Outcome(1, List.of("51050007 ERROR port"));
        ActionExecutor.Outcome o = executor.execute(Action.QUICK_CHECK, "T");
        assertThat(runner.calls).isEmpty();
        assertThat(direct.ran).containsExactly("quickCheck T");
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.messages()).containsExactly("51050007 ERROR port");
        assertThat(executor.mode(Action.QUICK_CHECK)).isEqualTo("direct");
    }

    @Test
    void default_path_per_platform() {
        Path root = Path.of("/opt/LifeKeeper");
        assertThat(LifeKeeperExecutor.defaultPath(root, false)).isEqualTo(root.resolve("bin").resolve("perform_action"));
        assertThat(LifeKeeperExecutor.defaultPath(root, true))
                .isEqualTo(root.resolve("bin").resolve("perform_action.exe"));
    }
}
