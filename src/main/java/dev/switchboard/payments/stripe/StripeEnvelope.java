package dev.switchboard.payments.stripe;

import dev.switchboard.payments.ReceivedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The envelope of a Stripe event ({@code id}, {@code type}, {@code created} and the customer {@code
 * data.object} names) read in one pass over the body's tokens, without building its tree: the tree
 * was a tenth of a webhook request's CPU ({@code bench/profile.sh webhook}). Every string is still
 * decoded and every number read, so a body the tree parse refuses is refused here too.
 *
 * <p>It decides only what it decides exactly as the tree parse does. Anything else (not an object,
 * an envelope field missing or invalid, a key that matters given twice, a fraction or an integer
 * beyond {@code long}, content after the object, malformed JSON) is {@linkplain Optional#empty()
 * left} to {@link StripeWebhookVerifier}'s tree parse, which answers it as before.
 * StripeEnvelopeTest compares the two on edge cases and random mutations.
 */
final class StripeEnvelope {

  private final JsonMapper json;
  private final boolean enabled;

  StripeEnvelope(JsonMapper json) {
    this.json = json;
    // With duplicate keys refused by the tree, a repeated key anywhere would be an error; this
    // reader only watches the keys it reads, so it steps aside.
    this.enabled = !json.isEnabled(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  }

  /** The event, or empty when the tree parse must decide. */
  Optional<ReceivedEvent> read(byte[] body) {
    if (!enabled) {
      return Optional.empty();
    }
    try (JsonParser p = json.createParser(body)) {
      return Optional.ofNullable(event(p, body));
    } catch (JacksonException | Undecided e) {
      return Optional.empty();
    }
  }

  private static ReceivedEvent event(JsonParser p, byte[] body) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    String id = null;
    String type = null;
    Long created = null;
    Optional<String> customer = Optional.empty();
    boolean seenData = false;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "id" -> id = once(id, text(p, value));
        case "type" -> type = once(type, text(p, value));
        case "created" -> created = once(created, integer(p, value));
        case "data" -> {
          seenData = once(seenData);
          customer = value == JsonToken.START_OBJECT ? within(p, "object", Step.OBJECT) : pass(p);
        }
        default -> pass(p);
      }
    }
    if (p.nextToken() != null
        || id == null
        || id.isBlank()
        || id.length() > 255
        || type == null
        || type.isBlank()
        || type.length() > 120
        || created == null) {
      return null;
    }
    return new ReceivedEvent(
        StripeWebhookVerifier.PROVIDER,
        id,
        type,
        Instant.ofEpochSecond(created),
        new String(body, StandardCharsets.UTF_8),
        customer);
  }

  /** What a key's value holds on the way to the customer: {@code data.object.customer[.id]}. */
  private enum Step {
    OBJECT,
    CUSTOMER,
    EXPANDED_ID
  }

  /**
   * Inside the object at the parser, the customer found under {@code key} (read as {@code step}),
   * every other value passed over.
   */
  private static Optional<String> within(JsonParser p, String key, Step step) {
    Optional<String> found = Optional.empty();
    boolean seen = false;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (!name.equals(key)) {
        pass(p);
        continue;
      }
      seen = once(seen);
      found =
          switch (step) {
            case OBJECT ->
                value == JsonToken.START_OBJECT ? within(p, "customer", Step.CUSTOMER) : pass(p);
            case CUSTOMER ->
                value == JsonToken.START_OBJECT
                    ? within(p, "id", Step.EXPANDED_ID)
                    : nonBlank(text(p, value));
            case EXPANDED_ID -> nonBlank(text(p, value));
          };
    }
    return found;
  }

  /** The string at the parser, or null (the value passed over) when it is not one. */
  private static String text(JsonParser p, JsonToken value) {
    if (value == JsonToken.VALUE_STRING) {
      return p.getString();
    }
    pass(p);
    return null;
  }

  private static Optional<String> nonBlank(String text) {
    return text == null || text.isBlank() ? Optional.empty() : Optional.of(text);
  }

  /** The integer at the parser, or null when the value is no integer. */
  private static Long integer(JsonParser p, JsonToken value) {
    if (value == JsonToken.VALUE_NUMBER_INT) {
      requireLong(p);
      return p.getLongValue();
    }
    pass(p);
    return null;
  }

  /**
   * Reads past the value at the parser as the tree parse reads it (strings decoded, numbers
   * parsed), without keeping it.
   */
  private static Optional<String> pass(JsonParser p) {
    int depth = 0;
    JsonToken token = p.currentToken();
    while (true) {
      switch (token) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case VALUE_STRING -> p.getString();
        case VALUE_NUMBER_INT -> requireLong(p);
        case PROPERTY_NAME, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {}
        default -> throw Undecided.INSTANCE;
      }
      if (depth == 0) {
        return Optional.empty();
      }
      token = p.nextToken();
      if (token == null) {
        throw Undecided.INSTANCE;
      }
    }
  }

  /** Integers beyond {@code long} become other nodes in the tree: left to it. */
  private static void requireLong(JsonParser p) {
    JsonParser.NumberType type = p.getNumberType();
    if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
      throw Undecided.INSTANCE;
    }
  }

  /** A key read twice: the tree keeps the last value; left to it rather than copied. */
  private static <T> T once(T before, T value) {
    if (before != null) {
      throw Undecided.INSTANCE;
    }
    return value;
  }

  private static boolean once(boolean seen) {
    if (seen) {
      throw Undecided.INSTANCE;
    }
    return true;
  }

  /** The body holds something the tree parse decides. */
  private static final class Undecided extends RuntimeException {
    static final Undecided INSTANCE = new Undecided();

    private Undecided() {
      super(null, null, false, false);
    }
  }
}
