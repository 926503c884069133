package io.hulftark.agent;

import io.hulftark.kit.ServiceNames;
import io.hulftark.kit.ServiceNames.Lookup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceDirectoryTest {

    private final List<String> lookedUp = new ArrayList<>();

    private ServiceNames lifeKeeper(Lookup answer) {
        return tag -> {
            lookedUp.add(tag);
            return answer;
        };
    }

    @Test
    void configured_service_name_wins_over_lifekeeper() {
        ResourceDirectory d = new ResourceDirectory(Map.of("T", "Configured"),
                Optional.of(lifeKeeper(new Lookup.Found("FromLifeKeeper", "ISP"))));
        ResourceDirectory.Entry e = d.resolve("T");
        assertThat(e.service()).isEqualTo("Configured");
        assertThat(e.problem()).isNull();
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void lifekeeper_names_the_service_of_an_unconfigured_tag() {
        ResourceDirectory d = new ResourceDirectory(Map.of("OTHER", "Configured"),
                Optional.of(lifeKeeper(new Lookup.Found("FromLifeKeeper", "ISP"))));
        assertThat(d.resolve("T").service()).isEqualTo("FromLifeKeeper");
        assertThat(lookedUp).containsExactly("T");
    }

    @Test
    void no_lifekeeper_and_no_configured_name_is_a_problem_naming_the_key() {
        ResourceDirectory.Entry e = new ResourceDirectory(Map.of(), Optional.empty()).resolve("HULFT-1");
        assertThat(e.service()).isNull();
        assertThat(e.expectedActive()).isEmpty();
        assertThat(e.problem()).contains("hulftark.agent.service.\"HULFT-1\"").contains("LifeKeeper is not installed");
    }

    @ParameterizedTest(name = "LifeKeeper state {0} → expected active {1}")
    @CsvSource({"ISP, true", "ISU, true", "OSU, false", "OSF, false"})
    void lifekeeper_state_says_whether_it_should_run_here(String state, boolean active) {
        ResourceDirectory d = new ResourceDirectory(Map.of(), Optional.of(lifeKeeper(new Lookup.Found("S", state))));
        assertThat(d.resolve("T").expectedActive()).contains(active);
    }

    @ParameterizedTest(name = "LifeKeeper state {0}, then a direct action")
    @CsvSource({"ISP, false", "OSU, true"})
    void a_direct_action_of_this_agent_beats_lifekeepers_word(String state, boolean active) {
        // In direct mode LifeKeeper does not hear of the agent's actions, so its state is stale.
        ResourceDirectory d = new ResourceDirectory(Map.of(), Optional.of(lifeKeeper(new Lookup.Found("S", state))));
        d.expect("T", active);
        assertThat(d.resolve("T").expectedActive()).contains(active);
    }

    @Test
    void expectation_is_used_when_lifekeeper_gives_no_state() {
        ResourceDirectory d = new ResourceDirectory(Map.of(), Optional.of(lifeKeeper(new Lookup.Found("S"))));
        assertThat(d.resolve("T").expectedActive()).isEmpty();
        d.expect("T", true);
        assertThat(d.resolve("T").expectedActive()).contains(true);
        d.expect("T", false);
        assertThat(d.resolve("T").expectedActive()).contains(false);
        assertThat(d.resolve("U").expectedActive()).as("per tag").isEmpty();
    }

    @Test
    void expectation_is_used_for_a_configured_service() {
        ResourceDirectory d = new ResourceDirectory(Map.of("T", "S"), Optional.empty());
        assertThat(d.resolve("T").expectedActive()).isEmpty();
        d.expect("T", true);
        assertThat(d.resolve("T").expectedActive()).contains(true);
        d.expect("T", false);
        assertThat(d.resolve("T").expectedActive()).contains(false);
    }

    @Test
    void lifekeeper_without_the_resource() {
        ResourceDirectory.Entry e = new ResourceDirectory(Map.of(),
                Optional.of(lifeKeeper(new Lookup.NoSuchResource("no such tag")))).resolve("T");
        assertThat(e.service()).isNull();
        assertThat(e.problem()).isEqualTo("LifeKeeper has no resource T (no such tag)");
    }

    @Test
    void lifekeeper_resource_without_service_name() {
        ResourceDirectory.Entry e = new ResourceDirectory(Map.of(),
                Optional.of(lifeKeeper(new Lookup.NoServiceName("info field empty")))).resolve("T");
        assertThat(e.service()).isNull();
        assertThat(e.problem()).isEqualTo("LifeKeeper's resource T names no service (info field empty)");
    }

    @Test
    void lifekeeper_lookup_failed() {
        ResourceDirectory.Entry e = new ResourceDirectory(Map.of(),
                Optional.of(lifeKeeper(new Lookup.Failed("ins_list timed out")))).resolve("T");
        assertThat(e.service()).isNull();
        assertThat(e.problem()).isEqualTo("ins_list timed out");
    }

    @Test
    void configured_names_are_copied() {
        Map<String, String> names = new java.util.HashMap<>(Map.of("T", "S"));
        ResourceDirectory d = new ResourceDirectory(names, Optional.empty());
        names.put("T", "changed");
        assertThat(d.resolve("T").service()).isEqualTo("S");
    }
}
