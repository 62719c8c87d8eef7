package dev.switchboard.platform.outbound;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client every adapter uses: built once, 5 s connect timeout, a per-request timeout (10 s
 * unless the request sets one), and {@link RetryPolicy} applied in this one loop. Retries are a
 * plain loop rather than Resilience4j's {@code Retry} because the wait depends on the answer
 * ({@code Retry-After}), the time budget spans attempts and waits, and the sleep must be
 * injectable; the loop states all three directly.
 *
 * <p>The JDK client is built at the first call, not at start: building it reads the default TLS
 * context (the trust store) and starts its selector machinery, about 2 % of a start's main thread,
 * and a process with no provider configured never calls out.
 */
public final class OutboundHttp {

  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(OutboundHttp.class);
  private static final List<String> REQUEST_ID_HEADERS =
      List.of(
          "request-id",
          "x-request-id",
          "x-message-id",
          "paypal-debug-id",
          "x-amz-request-id",
          "x-github-request-id");

  private final Supplier<HttpClient> clientFactory;
  private volatile HttpClient client;
  private final RetryPolicy defaultPolicy;
  private final List<OutboundCallListener> listeners;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  public OutboundHttp(
      RetryPolicy defaultPolicy,
      List<OutboundCallListener> listeners,
      Clock clock,
      Sleeper sleeper,
      RandomGenerator random) {
    this(
        () -> HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build(),
        defaultPolicy,
        listeners,
        clock,
        sleeper,
        random);
  }

  OutboundHttp(
      Supplier<HttpClient> clientFactory,
      RetryPolicy defaultPolicy,
      List<OutboundCallListener> listeners,
      Clock clock,
      Sleeper sleeper,
      RandomGenerator random) {
    this.clientFactory = clientFactory;
    this.defaultPolicy = defaultPolicy;
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
  }

  /**
   * Sends a request with the default policy; see {@link #send(String, HttpRequest, RetryPolicy)}.
   */
  public HttpResponse<String> send(String integrationId, HttpRequest request) {
    return send(integrationId, request, defaultPolicy);
  }

  /**
   * Sends a request, retrying as the policy allows.
   *
   * @param integrationId the calling integration, as on the integration map
   * @param request the request; its body publisher must be replayable ({@code
   *     BodyPublishers.ofString} is)
   * @param policy when to retry
   * @return the answer, when its status is below 400
   * @throws OutboundException when the last attempt failed or the answer is an error status
   */
  public HttpResponse<String> send(String integrationId, HttpRequest request, RetryPolicy policy) {
    return exchange(integrationId, request, policy, AttemptGate.OPEN, false);
  }

  /** Sends a request with the default policy, asking {@code gate} before every attempt. */
  public HttpResponse<String> send(String integrationId, HttpRequest request, AttemptGate gate) {
    return exchange(integrationId, request, defaultPolicy, gate, false);
  }

  /**
   * Like {@link #send(String, HttpRequest, RetryPolicy)}, asking {@code gate} before every attempt
   * (a shared rate limit charged per request sent, retries included).
   */
  public HttpResponse<String> send(
      String integrationId, HttpRequest request, RetryPolicy policy, AttemptGate gate) {
    return exchange(integrationId, request, policy, gate, false);
  }

  /**
   * Like {@link #send(String, HttpRequest, RetryPolicy)} for URLs whose path is itself a credential
   * (Slack incoming webhooks): listeners see the path as {@code /…}.
   */
  public HttpResponse<String> sendToSecretUrl(
      String integrationId, HttpRequest request, RetryPolicy policy) {
    return exchange(integrationId, request, policy, AttemptGate.OPEN, true);
  }

  private HttpResponse<String> exchange(
      String integrationId,
      HttpRequest original,
      RetryPolicy policy,
      AttemptGate gate,
      boolean secretPath) {
    HttpRequest request =
        original.timeout().isPresent()
            ? original
            : HttpRequest.newBuilder(original, (name, value) -> true)
                .timeout(DEFAULT_REQUEST_TIMEOUT)
                .build();
    URI uri = request.uri();
    String path =
        secretPath
            ? "/…"
            : (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    Instant start = clock.instant();
    for (int attempt = 1; ; attempt++) {
      gate.beforeAttempt(attempt);
      long began = System.nanoTime();
      OutboundException failure;
      try {
        HttpResponse<String> response =
            client().send(request, HttpResponse.BodyHandlers.ofString());
        report(
            integrationId,
            request,
            path,
            OptionalInt.of(response.statusCode()),
            Optional.empty(),
            began,
            attempt);
        if (response.statusCode() < 400) {
          return response;
        }
        failure = fromResponse(integrationId, request, response, attempt);
      } catch (IOException e) {
        String code = noAnswerCode(e);
        report(
            integrationId, request, path, OptionalInt.empty(), Optional.of(code), began, attempt);
        failure = noAnswer(integrationId, request, code, attempt, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw noAnswer(integrationId, request, "interrupted", attempt, e);
      }
      if (!failure.retryable() || attempt >= policy.maxAttempts()) {
        throw failure;
      }
      Optional<Duration> retryAfter = failure.retryAfter();
      if (retryAfter.isPresent() && retryAfter.get().compareTo(policy.maxRetryAfter()) > 0) {
        throw failure;
      }
      Duration delay = policy.delayAfter(attempt, retryAfter, random);
      if (Duration.between(start, clock.instant()).plus(delay).compareTo(policy.maxTotal()) > 0) {
        throw failure;
      }
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure;
      }
    }
  }

  private OutboundException fromResponse(
      String integrationId, HttpRequest request, HttpResponse<String> response, int attempt) {
    int status = response.statusCode();
    String code =
        switch (status) {
          case 429 -> "rate_limited";
          case 409 -> "conflict";
          case 500, 502, 503, 504 -> "provider_unavailable";
          default -> status >= 400 && status < 500 ? "rejected" : "unexpected_status";
        };
    // Stripe says explicitly when a retry cannot help (or can), overriding the status.
    Optional<String> shouldRetry = response.headers().firstValue("stripe-should-retry");
    boolean retryable =
        shouldRetry.map(Boolean::parseBoolean).orElse(RetryPolicy.retryableStatus(status));
    Optional<Duration> retryAfter =
        retryable
            ? RetryAfter.parse(response.headers().firstValue("retry-after").orElse(null), clock)
            : Optional.empty();
    Optional<String> requestId =
        REQUEST_ID_HEADERS.stream()
            .map(h -> response.headers().firstValue(h))
            .flatMap(Optional::stream)
            .findFirst();
    return new OutboundException(
        integrationId,
        request.method(),
        request.uri().getHost(),
        status,
        code,
        retryable,
        retryAfter,
        requestId,
        attempt,
        response.body(),
        response.headers(),
        null);
  }

  private HttpClient client() {
    HttpClient built = client;
    if (built == null) {
      synchronized (this) {
        built = client;
        if (built == null) {
          built = clientFactory.get();
          client = built;
        }
      }
    }
    return built;
  }

  /** Why no answer came: {@code timeout}, {@code connect_failed} or {@code io_error}. */
  static String noAnswerCode(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return "timeout";
    }
    return e instanceof ConnectException ? "connect_failed" : "io_error";
  }

  /** A call that got no answer: retryable unless this thread was interrupted. */
  private static OutboundException noAnswer(
      String integrationId, HttpRequest request, String code, int attempt, Exception cause) {
    return new OutboundException(
        integrationId,
        request.method(),
        request.uri().getHost(),
        0,
        code,
        !(cause instanceof InterruptedException),
        Optional.empty(),
        Optional.empty(),
        attempt,
        null,
        null,
        cause);
  }

  private void report(
      String integrationId,
      HttpRequest request,
      String path,
      OptionalInt status,
      Optional<String> failure,
      long began,
      int attempt) {
    OutboundAttempt event =
        new OutboundAttempt(
            integrationId,
            request.method(),
            request.uri().getHost(),
            path,
            status,
            failure,
            Duration.ofNanos(System.nanoTime() - began),
            attempt);
    for (OutboundCallListener listener : listeners) {
      try {
        listener.onAttempt(event);
      } catch (RuntimeException e) {
        log.warn(
            "Outbound call listener {} failed: {}",
            listener.getClass().getName(),
            e.getClass().getName());
      }
    }
  }

  /** The policy used by {@link #send(String, HttpRequest)}. */
  public RetryPolicy defaultPolicy() {
    return defaultPolicy;
  }
}
