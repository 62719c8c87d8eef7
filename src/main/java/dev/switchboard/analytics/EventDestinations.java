package dev.switchboard.analytics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The configured destinations by id, in configuration order; empty when forwarding is off. */
public record EventDestinations(Map<String, EventDestination> byId) {

  public EventDestinations {
    byId = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
  }
}
