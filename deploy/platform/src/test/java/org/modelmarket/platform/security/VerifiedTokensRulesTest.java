package org.modelmarket.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/**
 * The cache's rules on a clock of the test's: only the exact token text matches, nothing is answered from its
 * {@code exp} on, an expired token is never stored, and switched off it answers nothing. (Each service's tests check
 * the same through quarkus-oidc with real tokens: catalog's {@code VerifiedTokenCacheTest}, billing's and the
 * gateway's.)
 */
class VerifiedTokensRulesTest {

    private static final long NOW = 1_800_000_000_000L;

    private final AtomicLong clock = new AtomicLong(NOW);
    private final SecurityIdentity alice = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("alice"))
            .addRole("buyer")
            .build();

    @Test
    void onlyTheExactTokenIsAnsweredAndOnlyBeforeItsExpiry() {
        VerifiedTokens tokens = tokens(true);
        long exp = NOW / 1000 + 60;
        tokens.remember("header.payload.signature", alice, exp);

        assertThat(tokens.find("header.payload.signature")).isSameAs(alice);
        assertThat(tokens.find("header.payload.signaturf")).isNull();
        assertThat(tokens.find("header.payload.signature ")).isNull();
        assertThat(tokens.hits()).isEqualTo(1);

        clock.set(exp * 1000 - 1);
        assertThat(tokens.find("header.payload.signature")).isSameAs(alice);
        clock.set(exp * 1000);
        assertThat(tokens.find("header.payload.signature"))
                .as("at exp, as quarkus-oidc: now < exp")
                .isNull();
        clock.set(NOW);
        assertThat(tokens.find("header.payload.signature"))
                .as("dropped once seen expired")
                .isNull();
    }

    @Test
    void anExpiredTokenIsNeverStored() {
        VerifiedTokens tokens = tokens(true);
        tokens.remember("expired", alice, NOW / 1000 - 1);
        tokens.remember("expiring-now", alice, NOW / 1000);
        assertThat(tokens.find("expired")).isNull();
        assertThat(tokens.find("expiring-now")).isNull();
    }

    @Test
    void switchedOffItAnswersNothing() {
        VerifiedTokens tokens = tokens(false);
        tokens.remember("token", alice, NOW / 1000 + 60);
        assertThat(tokens.find("token")).isNull();
    }

    private VerifiedTokens tokens(boolean enabled) {
        return new VerifiedTokens(FixedTokenCacheConfig.of(enabled), new SimpleMeterRegistry(), clock::get);
    }
}
