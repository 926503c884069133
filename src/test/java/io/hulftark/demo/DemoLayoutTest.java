package io.hulftark.demo;

import io.hulftark.demo.DemoFakes.Lines;
import io.hulftark.demo.DemoFakes.MutableClock;
import io.hulftark.sim.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What the demo lays out before it starts anything: the drifted cluster, and faults that make a standby unready. */
class DemoLayoutTest {

    @TempDir
    Path tmp;
    final MutableClock clock = new MutableClock();

    Demo demo(int clusters, Path dir) {
        return new Demo(new Demo.Settings(clusters, false, 1, 1, List.of(), Duration.ofSeconds(20),
                Duration.ofSeconds(40), dir, true, tmp.resolve("quarkus-run.jar"), "java"), new Lines(clock).log, clock);
    }

    @Test
    void withThreeClustersTheLastOnesNodeBHasAnotherLkhulftTimeoutThatARepairKeeps() throws Exception {
        try (Demo demo = demo(3, tmp.resolve("three"))) {
            demo.makeDir();
            demo.layOut();
            Map<String, String> timeouts = timeouts(demo);
            assertThat(timeouts).containsEntry("demo-1/node-a", "30").containsEntry("demo-1/node-b", "30")
                    .containsEntry("demo-2/node-a", "30").containsEntry("demo-2/node-b", "30")
                    .containsEntry("demo-3/node-a", "30").containsEntry("demo-3/node-b", "45");

            // The injector repairs a cluster by clearing its nodes' faults: the site's drift is no fault, it stays.
            Demo.DemoNode drifted = demo.nodes().get(5);
            new SimFaults(drifted.sim()).clearFaults();
            assertThat(timeouts(demo)).containsEntry("demo-3/node-b", "45");
            assertThat(Files.readString(drifted.sim().lkDefaultsFile())).startsWith("# drifted on purpose");
        }
    }

    @Test
    void withTwoClustersNothingDrifts() throws Exception {
        try (Demo demo = demo(2, tmp.resolve("two"))) {
            demo.makeDir();
            demo.layOut();
            assertThat(timeouts(demo).values()).containsOnly("30").hasSize(4);
        }
    }

    @Test
    void anUnreadyStandbysConfFileCannotBeReadUntilItIsRepaired() throws Exception {
        try (Demo demo = demo(1, tmp.resolve("one"))) {
            demo.makeDir();
            demo.layOut();
            Demo.DemoNode standby = demo.nodes().get(1);
            String conf = Files.readString(standby.sim().confFile());
            SimFaults target = new SimFaults(standby.sim());

            assertThat(target.makeConfUnreadable()).isEqualTo(standby.sim().confFile());
            assertThat(standby.sim().confFile()).isDirectory();
            assertThat(Files.isReadable(standby.sim().confFile()) && Files.isRegularFile(standby.sim().confFile()))
                    .isFalse();
            target.clearFaults();
            assertThat(standby.sim().confFile()).isRegularFile().hasContent(conf);
            assertThat(standby.sim().clearFault(Fault.CONF_UNREADABLE)).isFalse();
        }
    }

    private static Map<String, String> timeouts(Demo demo) {
        return demo.nodes().stream().collect(Collectors.toMap(Demo.DemoNode::id, n -> {
            try {
                return Files.readAllLines(n.sim().lkDefaultsFile()).stream().filter(l -> l.startsWith("LKHULFT_TIMEOUT="))
                        .map(l -> l.substring("LKHULFT_TIMEOUT=".length())).reduce((x, y) -> y).orElse("none");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }
}
