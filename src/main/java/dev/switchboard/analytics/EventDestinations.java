package dev.switchboard.analytics;

import java.util.Map;

/** The configured destinations by id, in configuration order; empty when forwarding is off. */
public record EventDestinations(Map<String, EventDestination> byId) {

  public EventDestinations {
    byId = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byId));
  }
}
