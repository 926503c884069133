package io.hulftark.http.security;

import io.hulftark.app.KitConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** The agent's one {@link TokenStore}, from configuration. */
@ApplicationScoped
public class TokenStoreProducer {

    private static final Logger LOG = Logger.getLogger(TokenStore.class);

    @Produces
    @Singleton
    TokenStore tokenStore(SecurityConfig security, KitConfig kit) {
        return new TokenStore(TokensFile.locate(security.tokensFile(), kit, System.getenv()), LOG::warn);
    }

    /**
     * Reads the file at start, so its location and any fault are in the log before the first call. A file
     * others could have written stops the start (the commands check it before Quarkus starts, in one line).
     */
    void onStart(@Observes StartupEvent event, TokenStore store) {
        store.requireSafe();
        LOG.infof("API tokens: %s (%d)", store.file(), store.size());
    }
}
