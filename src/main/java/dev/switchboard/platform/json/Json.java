package dev.switchboard.platform.json;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * The one JSON mapper of code that is not handed Spring's (static helpers, adapters built outside
 * the context, fallbacks when no mapper bean exists). A Jackson 3 {@link JsonMapper} is immutable
 * and thread-safe, so one instance serves every caller; build another only when a caller needs
 * different features.
 */
public final class Json {

  /** Jackson's defaults, shared. */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  /**
   * The text as a JSON tree, or a missing node when it is null, empty or not JSON (never throws).
   */
  public static JsonNode tree(String text) {
    if (text == null || text.isEmpty()) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      return MissingNode.getInstance();
    }
  }
}
