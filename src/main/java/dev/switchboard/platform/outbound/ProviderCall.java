package dev.switchboard.platform.outbound;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The skeleton every HTTP provider adapter shares, so that an adapter states only its request and
 * how it reads the answer (as Spring Security's {@code
 * AbstractRestClientOAuth2AccessTokenResponseClient} leaves only the grant's parameters to each
 * token client). This class owns:
 *
 * <ul>
 *   <li>the request's frame: base URL + path, per-request timeout, {@code Accept:
 *       application/json}, the credential headers, a JSON body written with the shared mapper;
 *   <li>the call, through {@link OutboundHttp} and its {@link RetryPolicy} (one attempt unless
 *       {@link Builder#retries(RetryPolicy)} says otherwise: queued work is retried by the job
 *       queue, which reads {@link ProviderFailure#retryable()} and {@link
 *       ProviderFailure#retryAfter()});
 *   <li>the classification of what went wrong, as a {@link ProviderFailure}: 4xx permanent, 429,
 *       5xx and no answer retryable, {@code Retry-After} honoured, a 1xx/3xx answer or an answer
 *       the adapter could not read ({@link ProviderAnswer#requireJson()}, {@link
 *       ProviderAnswer#malformed(String)}) a clear, permanent failure;
 *   <li>provider error text made safe to store ({@link ProviderFailure#detail(String)} masks the
 *       credentials).
 * </ul>
 *
 * <p>Usage, for a forwarder whose jobs are retried by the queue:
 *
 * <pre>{@code
 * final class PostHogForwarder {
 *   private final ProviderCall posthog;
 *
 *   PostHogForwarder(Secret apiKey, URI baseUrl, OutboundHttp http) {
 *     this.posthog = ProviderCall.to("analytics.posthog", "PostHog", baseUrl, http).bearer(apiKey).build();
 *   }
 *
 *   Forwarded forward(Batch batch) {
 *     return posthog.exchange(posthog.post("/batch/", batch).build(),
 *         answer -> Forwarded.ok(answer.requireJson().path("status").asInt()),
 *         failure -> failure.retryable()
 *             ? Forwarded.later(failure.retryAfter(), failure.summary())
 *             : Forwarded.dropped(failure.summary() + failure.detail(failure.json().path("error").asString(""))));
 *   }
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; build one per configured provider.
 */
public final class ProviderCall {

  /** The request timeout unless {@link Builder#timeout(Duration)} sets another. */
  public static final Duration DEFAULT_TIMEOUT = OutboundHttp.DEFAULT_REQUEST_TIMEOUT;

  private final String integrationId;
  private final String provider;
  private final String base;
  private final OutboundHttp http;
  private final Duration timeout;
  private final RetryPolicy policy;
  private final List<CredentialHeader> credentials;
  private final Secret secretUrl;

  private ProviderCall(Builder b) {
    this.integrationId = b.integrationId;
    this.provider = b.provider;
    this.base = b.baseUrl.toString().replaceAll("/+$", "");
    this.http = b.http;
    this.timeout = b.timeout;
    this.policy = b.policy;
    this.credentials = List.copyOf(b.credentials);
    this.secretUrl = b.secretUrl;
  }

  /**
   * Starts a provider call.
   *
   * @param integrationId the integration as on the integration map ({@code email.sendgrid}); names
   *     the calls in metrics and errors
   * @param provider the provider's display name ({@code SendGrid}), used in failure summaries and
   *     health details
   * @param baseUrl the API's base URL; a trailing slash is ignored
   * @param http the shared outbound client
   */
  public static Builder to(String integrationId, String provider, URI baseUrl, OutboundHttp http) {
    return new Builder(integrationId, provider, baseUrl, http);
  }

  /**
   * Like {@link #to}, for APIs whose URL is itself the credential (Slack incoming webhooks):
   * listeners see the path as {@code /…} ({@link OutboundHttp#sendToSecretUrl}) and failure details
   * mask the URL. Requests go to {@code request("")}.
   */
  public static Builder toSecretUrl(
      String integrationId, String provider, Secret url, OutboundHttp http) {
    Builder builder = new Builder(integrationId, provider, URI.create(url.reveal()), http);
    builder.secretUrl = url;
    return builder;
  }

  /** The display name given to {@link #to}. */
  public String provider() {
    return provider;
  }

  /**
   * A request to {@code base + path} with the timeout, {@code Accept: application/json} and the
   * credentials.
   */
  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Accept", "application/json");
    for (CredentialHeader credential : credentials) {
      builder.header(credential.name(), credential.prefix() + credential.value().reveal());
    }
    return builder;
  }

  /** {@link #request(String)} as a GET. */
  public HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  /** {@link #request(String)} as a POST of {@code body} written as JSON with the shared mapper. */
  public HttpRequest.Builder post(String path, Object body) {
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
  }

  /**
   * Sends the request and hands the outcome to exactly one of the two functions.
   *
   * @param request built from {@link #request}, {@link #get} or {@link #post}
   * @param onAnswer reads a 2xx answer; may call {@link ProviderAnswer#requireJson()} or {@link
   *     ProviderAnswer#malformed(String)}, which turn into a {@link
   *     ProviderFailure.Kind#MALFORMED_ANSWER}
   * @param onFailure maps every failure, already classified
   * @return what the chosen function returned
   */
  public <T> T exchange(
      HttpRequest request,
      Function<ProviderAnswer, T> onAnswer,
      Function<ProviderFailure, T> onFailure) {
    HttpResponse<String> response;
    try {
      response =
          secretUrl == null
              ? http.send(integrationId, request, policy)
              : http.sendToSecretUrl(integrationId, request, policy);
    } catch (OutboundException e) {
      return onFailure.apply(ProviderFailure.of(provider, e, credentials()));
    }
    if (response.statusCode() / 100 != 2) {
      return onFailure.apply(
          ProviderFailure.unexpectedStatus(provider, response.statusCode(), credentials()));
    }
    T mapped;
    try {
      mapped =
          onAnswer.apply(
              new ProviderAnswer(response.statusCode(), response.headers(), response.body()));
    } catch (ProviderAnswer.MalformedAnswerException e) {
      return onFailure.apply(
          ProviderFailure.malformed(
              provider, response.statusCode(), e.getMessage(), credentials()));
    }
    return mapped;
  }

  /**
   * A provider's error text made safe for a stored detail, as {@link
   * ProviderFailure#detail(String)}: for errors a provider reports inside a 2xx answer.
   */
  public String detail(String text) {
    return ProviderFailure.detail(text, credentials());
  }

  private List<Secret> credentials() {
    List<Secret> all = new ArrayList<>(credentials.stream().map(CredentialHeader::value).toList());
    if (secretUrl != null) {
      all.add(secretUrl);
    }
    return List.copyOf(all);
  }

  private record CredentialHeader(String name, String prefix, Secret value) {}

  /** Configures a {@link ProviderCall}. */
  public static final class Builder {

    private final String integrationId;
    private final String provider;
    private final URI baseUrl;
    private final OutboundHttp http;
    private Duration timeout = DEFAULT_TIMEOUT;
    private RetryPolicy policy = RetryPolicy.noRetry();
    private final List<CredentialHeader> credentials = new ArrayList<>();
    private Secret secretUrl;

    private Builder(String integrationId, String provider, URI baseUrl, OutboundHttp http) {
      this.integrationId = Objects.requireNonNull(integrationId, "integrationId cannot be null");
      this.provider = Objects.requireNonNull(provider, "provider cannot be null");
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl cannot be null");
      this.http = Objects.requireNonNull(http, "http cannot be null");
    }

    /** Sends {@code Authorization: Bearer <secret>}. */
    public Builder bearer(Secret secret) {
      return credentialHeader("Authorization", "Bearer ", secret);
    }

    /** Sends the secret as the value of header {@code name} ({@code X-Postmark-Server-Token}). */
    public Builder credentialHeader(String name, Secret secret) {
      return credentialHeader(name, "", secret);
    }

    private Builder credentialHeader(String name, String prefix, Secret secret) {
      credentials.add(
          new CredentialHeader(
              name, prefix, Objects.requireNonNull(secret, name + " cannot be null")));
      return this;
    }

    /** The per-request timeout; {@link #DEFAULT_TIMEOUT} unless set. */
    public Builder timeout(Duration requestTimeout) {
      this.timeout = Objects.requireNonNull(requestTimeout, "timeout cannot be null");
      return this;
    }

    /**
     * Retries within the call, for calls made while a user waits and not from a job. The default is
     * one attempt: a job's retry comes from the queue, after {@link ProviderFailure#retryAfter()}
     * when given.
     */
    public Builder retries(RetryPolicy retryPolicy) {
      this.policy = Objects.requireNonNull(retryPolicy, "retryPolicy cannot be null");
      return this;
    }

    public ProviderCall build() {
      return new ProviderCall(this);
    }
  }
}
