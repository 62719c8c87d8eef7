package dev.switchboard.platform.webhooks;

import dev.switchboard.platform.http.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The first step of every inbound webhook: finds the provider's {@link WebhookVerifier} and checks
 * the raw bytes with it. A provider without a verifier (its secret is not set) is refused with 404
 * {@code webhook_not_configured} before its body is read. The next steps are the area's: store what
 * the verifier read, keyed by the provider's event id (a repeat is a duplicate), and queue the job
 * that applies it, in one commit, before answering.
 *
 * @param <T> what a verified payload is read into
 */
public final class WebhookVerifiers<T> {

  private final Map<String, WebhookVerifier<T>> byProvider;
  private final Function<String, String> notConfigured;

  /**
   * @param verifiers the configured verifiers; the first of a provider wins
   * @param notConfigured the 404's message for a provider, saying where its set-up is documented
   */
  public WebhookVerifiers(
      Iterable<? extends WebhookVerifier<T>> verifiers, Function<String, String> notConfigured) {
    Map<String, WebhookVerifier<T>> map = new LinkedHashMap<>();
    verifiers.forEach(v -> map.putIfAbsent(v.provider(), v));
    this.byProvider = Map.copyOf(map);
    this.notConfigured = notConfigured;
  }

  /**
   * Checks the body with the provider's verifier and reads it.
   *
   * @param body the raw body; null (no body) is checked as empty
   * @throws ApiException 404 {@code webhook_not_configured}, or the verifier's refusal (see {@link
   *     WebhookVerifier#verify})
   */
  public T verify(String provider, Map<String, String> headers, byte[] body) {
    WebhookVerifier<T> verifier = byProvider.get(provider);
    if (verifier == null) {
      throw new ApiException(404, "webhook_not_configured", notConfigured.apply(provider));
    }
    return verifier.verify(headers, body == null ? new byte[0] : body);
  }

  /** Whether webhooks of this provider are accepted. */
  public boolean accepts(String provider) {
    return byProvider.containsKey(provider);
  }
}
