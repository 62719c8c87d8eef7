package dev.switchboard.payments;

import java.util.Optional;

/**
 * A verified webhook event on its way into the store, with the provider customer its envelope names
 * (so an event that arrives before its checkout can wait for the customer).
 */
public record IncomingEvent(ReceivedEvent event, Optional<String> customerId) {}
