package io.hulftark.kit;

/**
 * Every message the kit emits. 51050000–51050019 are the spec's (section 9), codes and texts
 * unchanged; 51050100 and up are ours and documented in README.md. Texts use {@code %s} in order.
 */
public enum Message {
    STARTUP_TYPE_CHANGED(51050000, Category.WARN, "%s : Changed the startup type to demand"),
    STOP_FAILED(51050002, Category.ERROR, "Failed to stop %s (code = %s)"),
    START_FAILED(51050004, Category.ERROR, "Failed to start %s (code = %s)"),
    NOT_RUNNING(51050005, Category.ERROR, "%s is not running"),
    CONFIG_OPEN_FAILED(51050006, Category.ERROR, "Failed to open config file"),
    PORT_CHECK_FAILED(51050007, Category.ERROR, "Failed to check the port used by %s (port = %s, code = %s)"),
    NO_SUCH_RESOURCE(51050008, Category.ERROR, "Failed to get transport name for %s"),
    NO_SERVICE_NAME(51050009, Category.ERROR, "Failed to get transport name for %s"),
    DEEPCHECK_UNSUPPORTED(51050015, Category.ERROR, "deepCheck is not supported."),
    PATHS_NOT_SET(51050016, Category.ERROR, "Please change exe_path and conf_file of hulft_generic_ark.pl."),
    EXE_PATH_BAD(51050017, Category.ERROR,
            "The exe_path is incorrect or inaccessible. Please specify the correct path (exe_path = %s)"),
    CONF_FILE_BAD(51050018, Category.ERROR,
            "The conf_file is incorrect or inaccessible. Please specify the correct path (conf_file = %s)"),
    REMOVE_FORCED(51050019, Category.WARN,
            "Forced the remove process to end normally according to the \"LKHULFT_FORCE_REMOVE\" parameter."),

    // ---- ours ----
    BAD_PARAMETER(51050100, Category.WARN, "%s"),
    ACTION_TIMED_OUT(51050101, Category.ERROR, "The %s of %s did not end within LKHULFT_TIMEOUT = %s s and was stopped"),
    RETRYING(51050102, Category.INFO, "%s failed (attempt %s of %s: %s); retrying"),
    COMMAND_KILLED(51050103, Category.ERROR, "%s did not end within %s s and was killed with its process tree"),
    STATE_UNKNOWN(51050104, Category.ERROR, "Cannot tell the state of %s: %s"),
    LOCK_TIMEOUT(51050105, Category.ERROR, "Another action on %s holds its lock; gave up waiting after %s s"),
    CONFIG_DETAIL(51050106, Category.ERROR, "%s"),
    START_TYPE_NOT_CHANGED(51050107, Category.ERROR, "%s : Failed to change the startup type to demand: %s"),
    START_TYPE_UNKNOWN(51050108, Category.ERROR, "Cannot tell the startup type of %s: %s"),
    NOT_INSTALLED(51050109, Category.ERROR, "%s is not installed on this node"),
    STILL_RUNNING(51050110, Category.ERROR, "%s is still %s after it was stopped"),
    LOOKUP_FAILED(51050111, Category.ERROR, "Cannot look up the resource %s: %s"),
    COMMAND_MISSING(51050112, Category.ERROR, "%s"),
    OCF_PARAMETER_BAD(51050120, Category.ERROR, "%s"),
    DEBUG(51050199, Category.DEBUG, "%s");

    private final int code;
    private final Category category;
    private final String template;

    Message(int code, Category category, String template) {
        this.code = code;
        this.category = category;
        this.template = template;
    }

    public int code() {
        return code;
    }

    public Category category() {
        return category;
    }

    public String template() {
        return template;
    }

    public String text(Object... args) {
        return args.length == 0 ? template : String.format(java.util.Locale.ROOT, template, args);
    }

    /** The one line written to stderr: {@code CODE CATEGORY text}. */
    public String line(Object... args) {
        return code + " " + category + " " + text(args);
    }
}
