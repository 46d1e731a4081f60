package org.modelmarket.billing.problem;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.ProblemTranslator;

/**
 * Engine failures with a meaning for callers: two concurrent subscriptions of one buyer to one listing meet the
 * unique index of live subscriptions; the loser gets 409 as if it had come second.
 */
@ApplicationScoped
public class BillingProblemTranslator implements ProblemTranslator {

    @Override
    public Optional<ProblemException> translate(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("ux_subscription_live")) {
            return Optional.of(new ProblemException(
                    BillingProblem.ALREADY_SUBSCRIBED, "You already hold a subscription to this listing."));
        }
        return Optional.empty();
    }
}
