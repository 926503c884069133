package io.hulftark.agent.fast;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A launcher's request, as lines: {@code HAFC1}, {@code proof NONCE HMAC} (loopback only: HMAC-SHA256 of "client NONCE" under the key), {@code check NAME},
 * {@code cwd PATH}, {@code arg VALUE}..., {@code setenv NAME=VALUE}... (this call's own environment, which the
 * check names), {@code view LINE}..., {@code end}; values encoded as in
 * {@link FastCheckView#encode}. Bounded: a request larger than {@link #MAX_CHARS} is refused.
 */
public record FastCheckRequest(Optional<String> proof, String check, Path cwd, List<String> args,
                               Map<String, String> env, List<String> view) {

    public static final String MAGIC = "HAFC1";
    static final int MAX_CHARS = 256 * 1024;
    static final int MAX_LINE = 16 * 1024;

    /** The request, or an exception whose message says in one phrase what is wrong with it. */
    public static FastCheckRequest read(BufferedReader in) throws IOException {
        String first = line(in, new int[1]);
        if (!MAGIC.equals(first)) {
            throw new IllegalArgumentException("not a fast-check request");
        }
        int[] total = {0};
        String proof = null;
        String check = null;
        Path cwd = null;
        List<String> args = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> view = new ArrayList<>();
        while (true) {
            String line = line(in, total);
            if (line == null) {
                throw new IllegalArgumentException("request ended before 'end'");
            }
            if (line.equals("end")) {
                break;
            }
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1);
            switch (key) {
                case "proof" -> proof = value;
                case "check" -> check = value;
                case "cwd" -> cwd = Path.of(FastCheckView.decode(value));
                case "arg" -> args.add(FastCheckView.decode(value));
                case "setenv" -> {
                    String decoded = FastCheckView.decode(value);
                    int eq = decoded.indexOf('=');
                    if (eq <= 0 || env.put(decoded.substring(0, eq), decoded.substring(eq + 1)) != null) {
                        throw new IllegalArgumentException("setenv line without NAME=VALUE, or a name twice");
                    }
                }
                case "view" -> view.add(value);
                default -> throw new IllegalArgumentException("unknown request line '" + key + "'");
            }
        }
        if (check == null || cwd == null || view.isEmpty()) {
            throw new IllegalArgumentException("request without check, cwd or view");
        }
        return new FastCheckRequest(Optional.ofNullable(proof), check, cwd, List.copyOf(args),
                java.util.Collections.unmodifiableMap(env), List.copyOf(view));
    }

    private static String line(BufferedReader in, int[] total) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            sb.append((char) c);
            if (sb.length() > MAX_LINE || total[0] + sb.length() > MAX_CHARS) {
                throw new IllegalArgumentException("request too large");
            }
        }
        if (c == -1 && sb.isEmpty()) {
            return null;
        }
        total[0] += sb.length() + 1;
        return sb.toString();
    }
}
