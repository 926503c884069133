package io.hulftark.lifekeeper;

import io.hulftark.kit.Action;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptActionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            C:\\LK\\subsys\\gen\\resources\\app\\!restore\\hulft-ark-lk.pl      | RESTORE
            C:\\LK\\subsys\\gen\\resources\\app\\!remove\\hulft-ark-lk.pl       | REMOVE
            C:\\LK\\subsys\\gen\\resources\\app\\!quickCheck\\hulft-ark-lk.pl   | QUICK_CHECK
            /opt/LifeKeeper/subsys/gen/resources/app/!quickchk/hulft-ark-lk | QUICK_CHECK
            /opt/LifeKeeper/subsys/gen/resources/app/!recover/hulft-ark-lk  | RECOVER
            /opt/LifeKeeper/subsys/gen/resources/app/!deepCheck/hulft-ark-lk | DEEP_CHECK
            C:\\Program Files\\Life Keeper\\!restore\\my script.pl             | RESTORE
            """)
    void theActionComesFromAWholeFolderName(String path, Action expected) {
        assertThat(ScriptAction.fromPath(path)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/opt/lk/hulft-ark-lk", "C:\\tools\\my!restore-kit\\x.pl", "/a/restore/x",
            "/a/!restore/b/!remove/x", "/a/!unknown/x", ""})
    void aPathWithoutExactlyOneActionIsRefused(String path) {
        assertThat(ScriptAction.fromPath(path)).isEqualTo(Optional.empty());
    }
}
