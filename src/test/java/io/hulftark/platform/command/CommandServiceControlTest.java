package io.hulftark.platform.command;

import io.hulftark.platform.CommandResult;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandServiceControlTest {

    final List<List<String>> calls = new ArrayList<>();
    int exit;
    String output = "";

    CommandServiceControl control() {
        return new CommandServiceControl((argv, bound) -> {
            calls.add(argv);
            return new CommandResult(exit, output, false, null, Duration.ZERO);
        }, List.of("/bin/svc", "status", "--name={service}"), List.of("/bin/svc", "start-type", "{service}"),
                List.of("/bin/svc", "demand", "{service}"));
    }

    @ParameterizedTest
    @CsvSource({"0,RUNNING", "3,STOPPED", "4,NOT_INSTALLED"})
    void statusExitCodes(int code, ServiceState expected) {
        exit = code;
        assertThat(control().state("HULFT8 Service", Duration.ofSeconds(1))).isEqualTo(expected);
        assertThat(calls).containsExactly(List.of("/bin/svc", "status", "--name=HULFT8 Service"));
    }

    @Test
    void anyOtherStatusMeansCannotTell() {
        exit = 1;
        output = "\n  daemon unreachable\n";
        assertThatThrownBy(() -> control().state("S", Duration.ofSeconds(1)))
                .isInstanceOf(PlatformException.class).hasMessage("the status command exited with 1: daemon unreachable");
    }

    @ParameterizedTest
    @CsvSource({"auto,AUTO", "'  demand ',DEMAND", "disabled,DISABLED", "delayed-auto,DELAYED_AUTO"})
    void startTypes(String printed, StartType expected) {
        output = printed;
        assertThat(control().startType("S", Duration.ofSeconds(1))).isEqualTo(expected);
    }

    @Test
    void anUnknownStartTypeIsAnErrorNotAGuess() {
        output = "manual";
        assertThatThrownBy(() -> control().startType("S", Duration.ofSeconds(1)))
                .hasMessageContaining("\"manual\"");
    }

    @Test
    void aServiceNameWithShellCharactersStaysOneArgument() {
        control().setDemandStart("a b;$(x)", Duration.ofSeconds(1));
        assertThat(calls).containsExactly(List.of("/bin/svc", "demand", "a b;$(x)"));
    }
}
