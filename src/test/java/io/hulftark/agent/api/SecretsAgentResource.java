package io.hulftark.agent.api;

import io.hulftark.lifekeeper.LifeKeeperDefaults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link SimAgentResource}'s agent with secrets wherever a site might keep one: under many configuration keys
 * (the fleet token, a URL with user:password@, and keys of other names beside the kit's own, which the kit's
 * configuration refuses under {@code hulftark.}), in LifeKeeper's defaults file and in hulenv.cnf; the API tokens
 * of the tokens file too. Not one of {@link #SECRETS} may ever leave the agent.
 */
public class SecretsAgentResource extends SimAgentResource {

    static final List<String> SECRETS = List.of("S3cret-fleet-token-0001", "S3cret-xyz-password-0002",
            "S3cret-something-0003", "S3cret-api-key-0004", "S3cret-url-pass-0005", "S3cret-lk-password-0006",
            "S3cret-hulenv-password-0007", "S3cret-db-password-0008", "S3cret-http-token-0009", VIEWER_TOKEN,
            OPERATOR_TOKEN, REPORTER_TOKEN);

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>(super.start());
        config.put("hulftark.fleet.token", SECRETS.get(0));
        config.put("site.agent.xyz-password", SECRETS.get(1));
        config.put("something.secret", SECRETS.get(2));
        config.put("api-key", SECRETS.get(3));
        // Port 1 on loopback: nobody answers, the push fails and retries; its URL must still never go out.
        config.put("hulftark.fleet.url", "http://reporter:" + SECRETS.get(4) + "@127.0.0.1:1");
        config.put("store.password", SECRETS.get(7));
        config.put("http.token", SECRETS.get(8));
        try {
            Path defaults = LifeKeeperDefaults.file(Path.of(config.get("hulftark.lifekeeper.root")));
            Files.createDirectories(defaults.getParent());
            Files.writeString(defaults,
                    "\nLKHULFT_PASSWORD=" + SECRETS.get(5) + "\nLKHULFT_TIMEOUT=240\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Files.writeString(Path.of(config.get("hulftark.conf-file")), "\npassword=" + SECRETS.get(6) + "\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }
}
