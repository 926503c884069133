package io.hulftark.demo;

import io.hulftark.agent.security.Role;
import io.hulftark.agent.security.TokenStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The demo's credentials, made with the same token machinery as {@code hulft-ark token new}. */
final class DemoTokens {

    private DemoTokens() {
    }

    /** A new token for a person or a program with {@code role}, its hash added to {@code file}. */
    static String add(Path file, String name, Role role) {
        String token = TokenStore.newToken();
        new TokenStore(file).add(name, role, token);
        return token;
    }

    /**
     * A reporter token for every node of {@code cluster}: a {@code NAME reporter:CLUSTER SHA256} line, the tokens
     * file's format for agent credentials.
     */
    static String addReporter(Path file, String name, String cluster) throws IOException {
        // TODO when TokenStore takes a reporter role: new TokenStore(file).add(name, Role.reporter(cluster), token)
        String token = TokenStore.newToken();
        String line = name + " reporter:" + cluster + " " + sha256(token) + "\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return token;
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
