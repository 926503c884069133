package io.hulftark.kit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageTest {

    /** The spec's section 9, code, category and text, with $service_name = S, $ret = 8, $port = 30000, $tag = T. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            STARTUP_TYPE_CHANGED  | 51050000 WARN S : Changed the startup type to demand
            STOP_FAILED           | 51050002 ERROR Failed to stop S (code = 8)
            START_FAILED          | 51050004 ERROR Failed to start S (code = 8)
            NOT_RUNNING           | 51050005 ERROR S is not running
            CONFIG_OPEN_FAILED    | 51050006 ERROR Failed to open config file
            PORT_CHECK_FAILED     | 51050007 ERROR Failed to check the port used by S (port = 30000, code = 8)
            NO_SUCH_RESOURCE      | 51050008 ERROR Failed to get transport name for T
            NO_SERVICE_NAME       | 51050009 ERROR Failed to get transport name for T
            DEEPCHECK_UNSUPPORTED | 51050015 ERROR deepCheck is not supported.
            PATHS_NOT_SET         | 51050016 ERROR Please change exe_path and conf_file of hulft_generic_ark.pl.
            EXE_PATH_BAD          | 51050017 ERROR The exe_path is incorrect or inaccessible. Please specify the correct path (exe_path = X)
            CONF_FILE_BAD         | 51050018 ERROR The conf_file is incorrect or inaccessible. Please specify the correct path (conf_file = X)
            REMOVE_FORCED         | 51050019 WARN Forced the remove process to end normally according to the "LKHULFT_FORCE_REMOVE" parameter.
            """)
    void specMessagesAreUnchanged(Message m, String expected) {
        Object[] args = switch (m) {
            case STOP_FAILED, START_FAILED -> new Object[] {"S", 8};
            case PORT_CHECK_FAILED -> new Object[] {"S", 30000, 8};
            case NO_SUCH_RESOURCE, NO_SERVICE_NAME -> new Object[] {"T"};
            case EXE_PATH_BAD, CONF_FILE_BAD -> new Object[] {"X"};
            case STARTUP_TYPE_CHANGED, NOT_RUNNING -> new Object[] {"S"};
            default -> new Object[0];
        };
        assertEquals(expected, m.line(args));
    }

    @org.junit.jupiter.api.Test
    void codesAreUniqueAndOursStayOutsideTheSpecRange() {
        Set<Integer> codes = Arrays.stream(Message.values()).map(Message::code).collect(Collectors.toSet());
        assertEquals(Message.values().length, codes.size(), "51050008 and 51050009 share a text, never a code");
        long spec = Arrays.stream(Message.values()).filter(m -> m.code() <= 51050019).count();
        assertEquals(13, spec);
        Arrays.stream(Message.values()).filter(m -> m.code() > 51050019)
                .forEach(m -> assertTrue(m.code() >= 51050100, m + " must not take a code of the spec's range"));
    }
}
