package io.hulftark.lifekeeper;

import io.hulftark.kit.ServiceNames.Lookup;
import io.hulftark.platform.CommandResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InsListTest {

    static String line(String tag, String info) {
        return String.join("\u0001", "node1", "gen", "app", tag, "id-" + tag, info, "1", "ISP");
    }

    @Test
    void theServiceNameIsField6EvenWithSpacesAndColons() {
        assertThat(InsList.parse("hulft", 0, line("hulft", "HULFT8 Service: main") + "\n"))
                .isEqualTo(new Lookup.Found("HULFT8 Service: main", "ISP"));
    }

    @Test
    void theLineOfTheTagIsChosen() {
        String out = "warning: something\n" + line("other", "X") + "\n" + line("hulft", "HULFT10") + "\r\n";
        assertThat(InsList.parse("hulft", 0, out)).isEqualTo(new Lookup.Found("HULFT10", "ISP"));
    }

    @Test
    void theResourceStateIsFoundWhereverItStands() {
        String out = String.join("\u0001", "node1", "gen", "app", "hulft", "id", "HULFT8", "x", "y", "OSU", "z");
        assertThat(InsList.parse("hulft", 0, out)).isEqualTo(new Lookup.Found("HULFT8", "OSU"));
        assertThat(InsList.parse("hulft", 0, line("hulft", "HULFT8").replace("ISP", "?")))
                .isEqualTo(new Lookup.Found("HULFT8", ""));
    }

    @Test
    void noResourceIs51050008sCase() {
        assertThat(InsList.parse("hulft", 1, "")).isInstanceOf(Lookup.NoSuchResource.class);
        assertThat(InsList.parse("hulft", 0, line("other", "X"))).isInstanceOf(Lookup.NoSuchResource.class);
    }

    @Test
    void anEmptyInfoIs51050009sCase() {
        assertThat(InsList.parse("hulft", 0, line("hulft", "  "))).isInstanceOf(Lookup.NoServiceName.class);
        assertThat(InsList.parse("hulft", 0, "node\u0001gen\u0001app\u0001hulft\u0001id"))
                .isInstanceOf(Lookup.NoServiceName.class);
    }

    @Test
    void theTagIsOneArgumentAndAHungInsListIsAFailureNotExit0() {
        List<List<String>> seen = new ArrayList<>();
        InsList insList = new InsList(Path.of("/opt/Life Keeper/bin/ins_list"), (argv, bound) -> {
            seen.add(argv);
            return new CommandResult(-1, "", true, null, bound);
        }, Duration.ofSeconds(5));
        assertThat(insList.lookup("tag with space; rm -rf /")).isInstanceOf(Lookup.Failed.class);
        assertThat(seen).containsExactly(List.of("/opt/Life Keeper/bin/ins_list", "-t", "tag with space; rm -rf /"));
    }

    @Test
    void onWindowsInsListIsTheExeUnderLkrootAndItsPathStaysOneArgument() {
        Path lkroot = Path.of("C:\\Program Files\\LifeKeeper");
        Path insList = InsList.defaultPath(lkroot, true);
        assertThat(insList.getFileName().toString()).isEqualTo("ins_list.exe");
        assertThat(new InsList(insList, (argv, bound) -> null, Duration.ofSeconds(1)).argv("hulft tag"))
                .containsExactly(insList.toString(), "-t", "hulft tag");
    }
}
