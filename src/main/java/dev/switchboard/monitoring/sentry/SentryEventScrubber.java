package dev.switchboard.monitoring.sentry;

import dev.switchboard.platform.config.SecretScrubber;
import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import io.sentry.protocol.User;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The last step before an event leaves (Sentry's {@code beforeSend}): whatever added to the event
 * (our reporter, the SDK's uncaught-exception handler, a future integration), it drops cookies,
 * bodies, query strings and every header but a few harmless ones, keeps only the opaque user id,
 * and replaces configured secrets in all free text. See
 * https://docs.sentry.io/platforms/java/data-management/sensitive-data/.
 */
final class SentryEventScrubber implements SentryOptions.BeforeSendCallback {

  static final Set<String> ALLOWED_HEADERS = Set.of("user-agent", "content-type", "accept");

  private final SecretScrubber scrubber;

  SentryEventScrubber(SecretScrubber scrubber) {
    this.scrubber = scrubber;
  }

  @Override
  public SentryEvent execute(SentryEvent event, Hint hint) {
    if (event.getRequest() != null) {
      scrubRequest(event.getRequest());
    }
    if (event.getUser() != null) {
      String id = event.getUser().getId();
      User opaque = id == null ? null : new User();
      if (opaque != null) {
        opaque.setId(id);
      }
      event.setUser(opaque);
    }
    if (event.getExceptions() != null) {
      for (SentryException exception : event.getExceptions()) {
        exception.setValue(scrubber.scrub(exception.getValue()));
      }
    }
    Message message = event.getMessage();
    if (message != null) {
      message.setMessage(scrubber.scrub(message.getMessage()));
      message.setFormatted(scrubber.scrub(message.getFormatted()));
      if (message.getParams() != null) {
        message.setParams(message.getParams().stream().map(scrubber::scrub).toList());
      }
    }
    if (event.getBreadcrumbs() != null) {
      for (Breadcrumb crumb : event.getBreadcrumbs()) {
        crumb.setMessage(scrubber.scrub(crumb.getMessage()));
        Map<String, Object> data = crumb.getData() == null ? Map.of() : crumb.getData();
        for (String key : Set.copyOf(data.keySet())) {
          if (data.get(key) instanceof String s) {
            crumb.setData(key, scrubber.scrub(s));
          }
        }
      }
    }
    if (event.getTags() != null) {
      Map<String, String> tags = new HashMap<>();
      event.getTags().forEach((k, v) -> tags.put(k, scrubber.scrub(v)));
      event.setTags(tags);
    }
    if (event.getExtras() != null) {
      Map<String, Object> extras = new HashMap<>();
      event
          .getExtras()
          .forEach((k, v) -> extras.put(k, v instanceof String text ? scrubber.scrub(text) : v));
      event.setExtras(extras);
    }
    event.setTransaction(scrubber.scrub(event.getTransaction()));
    return event;
  }

  private void scrubRequest(Request request) {
    request.setCookies(null);
    request.setData(null);
    request.setQueryString(null);
    request.setFragment(null);
    request.setEnvs(null);
    request.setOthers(null);
    request.setBodySize(null);
    if (request.getUrl() != null) {
      request.setUrl(scrubber.scrub(request.getUrl().replaceFirst("[?#].*$", "")));
    }
    if (request.getHeaders() != null) {
      Map<String, String> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      request
          .getHeaders()
          .forEach(
              (name, value) -> {
                if (name != null && ALLOWED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                  kept.put(name, scrubber.scrub(value));
                }
              });
      request.setHeaders(kept);
    }
  }
}
