package dev.switchboard.monitoring.sentry;

import dev.switchboard.monitoring.BreadcrumbTrail;
import dev.switchboard.monitoring.CallerIdHasher;
import dev.switchboard.monitoring.ErrorContext;
import dev.switchboard.monitoring.ErrorReporter;
import dev.switchboard.monitoring.ErrorsConfig;
import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.integrations.HealthResult;
import io.sentry.Breadcrumb;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.protocol.Request;
import io.sentry.protocol.User;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends errors to Sentry with the core SDK (https://docs.sentry.io/platforms/java/), which queues
 * and delivers envelopes asynchronously and honours Sentry's rate limits. Each event carries only
 * what {@link ErrorContext} allows: method, the public URL without query string, the user agent,
 * the request id as tag {@code request_id}, and the caller as a salted hash. {@link
 * SentryEventScrubber} runs on every event before it leaves, as a safety net.
 */
public final class SentryErrorReporter implements ErrorReporter, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SentryErrorReporter.class);

  private final URI publicUrl;
  private final CallerIdHasher hasher;
  private final BreadcrumbTrail trail;

  private SentryErrorReporter(URI publicUrl, CallerIdHasher hasher, BreadcrumbTrail trail) {
    this.publicUrl = publicUrl;
    this.hasher = hasher;
    this.trail = trail;
  }

  /**
   * Initialises the SDK (once per application context; {@link #close()} shuts it down) and returns
   * the reporter.
   *
   * @param release e.g. {@code switchboard@1.2.0}, when the build knows its version
   */
  public static SentryErrorReporter start(
      ErrorsConfig config,
      URI publicUrl,
      Optional<String> release,
      SecretScrubber scrubber,
      CallerIdHasher hasher,
      BreadcrumbTrail trail) {
    String dsn =
        config
            .sentryDsn()
            .orElseThrow(() -> new IllegalStateException("SENTRY_DSN is not set"))
            .reveal();
    Sentry.init(
        options -> {
          options.setDsn(dsn);
          options.setEnvironment(config.environment());
          options.setTracesSampleRate(config.tracesSampleRate());
          options.setSendDefaultPii(false);
          release.ifPresent(options::setRelease);
          options.addInAppInclude("dev.switchboard");
          options.setBeforeSend(new SentryEventScrubber(scrubber));
        });
    log.info(
        "Errors are reported to Sentry at {} (environment {})",
        config.sentryDsn().get().maskedUrl(),
        config.environment());
    return new SentryErrorReporter(publicUrl, hasher, trail);
  }

  @Override
  public void report(Throwable error, ErrorContext context) {
    try {
      SentryEvent event = new SentryEvent(error);
      event.setLevel(SentryLevel.ERROR);
      event.setTag("request_id", context.requestId());
      if (context.isRequest()) {
        event.setRequest(request(context));
        event.setTransaction(context.method() + " " + context.path());
      } else {
        event.setTag("task", context.path());
        event.setTransaction(context.path());
      }
      context.callerId().flatMap(this::user).ifPresent(event::setUser);
      for (dev.switchboard.monitoring.Breadcrumb crumb : trail.snapshot()) {
        event.addBreadcrumb(breadcrumb(crumb));
      }
      Sentry.captureEvent(event);
    } catch (RuntimeException e) {
      log.warn(
          "Could not report error for request {} to Sentry ({})",
          context.requestId(),
          e.getClass().getName());
    }
  }

  private Request request(ErrorContext context) {
    Request request = new Request();
    request.setMethod(context.method());
    request.setUrl(publicUrl + context.path());
    Map<String, String> headers = new HashMap<>();
    context.userAgent().ifPresent(ua -> headers.put("User-Agent", ua));
    request.setHeaders(headers);
    return request;
  }

  /**
   * The opaque user, or none when the salt cannot be read: the error matters more than who hit it.
   */
  private Optional<User> user(String callerId) {
    try {
      User user = new User();
      user.setId(hasher.hash(callerId));
      return Optional.of(user);
    } catch (RuntimeException e) {
      log.warn("Could not hash the caller id for an error report ({})", e.getClass().getName());
      return Optional.empty();
    }
  }

  private static Breadcrumb breadcrumb(dev.switchboard.monitoring.Breadcrumb crumb) {
    Breadcrumb b = new Breadcrumb(Date.from(crumb.timestamp()));
    b.setCategory(crumb.category());
    b.setMessage(crumb.message());
    b.setLevel(SentryLevel.INFO);
    crumb.data().forEach(b::setData);
    return b;
  }

  @Override
  public void breadcrumb(String category, String message, Map<String, String> data) {
    trail.add(category, message, data);
  }

  @Override
  public void flush(Duration timeout) {
    Sentry.flush(timeout.toMillis());
  }

  @Override
  public String provider() {
    return "sentry";
  }

  @Override
  public HealthResult health() {
    return Sentry.isEnabled()
        ? HealthResult.up("Sentry SDK enabled")
        : HealthResult.down("Sentry SDK not initialised");
  }

  /** Delivers what is queued (within the SDK's shutdown timeout) and shuts the SDK down. */
  @Override
  public void close() {
    Sentry.close();
  }
}
