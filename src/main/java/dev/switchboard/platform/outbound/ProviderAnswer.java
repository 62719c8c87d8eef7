package dev.switchboard.platform.outbound;

import dev.switchboard.platform.json.Json;
import java.net.http.HttpHeaders;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A 2xx answer of a {@link ProviderCall}, for the adapter's answer mapping.
 *
 * @param status the HTTP status (2xx)
 * @param headers the answer's headers; never log them
 * @param body the answer's body; never log it
 */
public record ProviderAnswer(int status, HttpHeaders headers, String body) {

  /** The first value of a header (name case-insensitive). */
  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  /**
   * The body as JSON, or a missing node when empty or not JSON: for answers whose fields are
   * optional.
   */
  public JsonNode json() {
    return Json.tree(body);
  }

  /**
   * The body as a JSON object or array; otherwise the call ends as a {@link
   * ProviderFailure.Kind#MALFORMED_ANSWER}.
   */
  public JsonNode requireJson() {
    JsonNode node = json();
    if (!node.isContainer()) {
      throw malformed("the answer is not JSON");
    }
    return node;
  }

  /**
   * Ends the call as a {@link ProviderFailure.Kind#MALFORMED_ANSWER} saying why: {@code throw
   * answer.malformed("no id")}. The reason is stored and shown, so it names fields, never values.
   */
  public MalformedAnswerException malformed(String why) {
    return new MalformedAnswerException(why);
  }

  /** Thrown from an answer mapping; {@link ProviderCall#exchange} turns it into a failure. */
  public static final class MalformedAnswerException extends RuntimeException {
    MalformedAnswerException(String why) {
      super(why, null, false, false);
    }
  }
}
