package dev.switchboard.monitoring.sentry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.SecretScrubber;
import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import io.sentry.protocol.User;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SentryEventScrubberTest {

  static final String SECRET = "sk_live_0123456789abcdef";

  final SentryEventScrubber scrubber = new SentryEventScrubber(SecretScrubber.of(List.of(SECRET)));

  @Test
  void executeWhenEventCarriesCredentialsThenOnlyAllowedRequestFieldsAndOpaqueUserRemain() {
    SentryEvent event = new SentryEvent();
    Request request = new Request();
    request.setUrl("https://api.example.com/api/files?token=" + SECRET + "#frag");
    request.setQueryString("token=" + SECRET);
    request.setCookies("session=abc");
    request.setData(Map.of("password", "hunter2"));
    request.setFragment("frag");
    request.setEnvs(Map.of("REMOTE_ADDR", "203.0.113.9"));
    request.setHeaders(
        new HashMap<>(
            Map.of(
                "Authorization",
                "Bearer " + SECRET,
                "Cookie",
                "session=abc",
                "X-Api-Key",
                SECRET,
                "X-Forwarded-For",
                "203.0.113.9",
                "User-Agent",
                "app/1 " + SECRET)));
    event.setRequest(request);
    User user = new User();
    user.setId("hashed-id");
    user.setEmail("someone@example.com");
    user.setIpAddress("203.0.113.9");
    user.setUsername("someone");
    event.setUser(user);

    SentryEvent result = scrubber.execute(event, new Hint());

    Request scrubbed = result.getRequest();
    assertThat(scrubbed.getUrl()).isEqualTo("https://api.example.com/api/files");
    assertThat(scrubbed.getQueryString()).isNull();
    assertThat(scrubbed.getCookies()).isNull();
    assertThat(scrubbed.getData()).isNull();
    assertThat(scrubbed.getFragment()).isNull();
    assertThat(scrubbed.getEnvs()).isNull();
    assertThat(scrubbed.getHeaders())
        .containsOnlyKeys("User-Agent")
        .containsEntry("User-Agent", "app/1 ****");
    assertThat(result.getUser().getId()).isEqualTo("hashed-id");
    assertThat(result.getUser().getEmail()).isNull();
    assertThat(result.getUser().getIpAddress()).isNull();
    assertThat(result.getUser().getUsername()).isNull();
  }

  @Test
  void executeWhenSecretInFreeTextThenEveryPlaceIsMasked() {
    SentryEvent event = new SentryEvent();
    SentryException exception = new SentryException();
    exception.setValue("invalid key " + SECRET);
    event.setExceptions(List.of(exception));
    Message message = new Message();
    message.setMessage("key %s");
    message.setFormatted("key " + SECRET);
    message.setParams(List.of(SECRET));
    event.setMessage(message);
    Breadcrumb crumb = new Breadcrumb("call with " + SECRET);
    crumb.setData("auth", "Bearer " + SECRET);
    crumb.setData("status", 401);
    event.addBreadcrumb(crumb);
    event.setTag("note", "tag " + SECRET);
    event.setExtra("detail", "extra " + SECRET);
    event.setTransaction("GET /x/" + SECRET);

    SentryEvent result = scrubber.execute(event, new Hint());

    assertThat(result.getExceptions().get(0).getValue()).isEqualTo("invalid key ****");
    assertThat(result.getMessage().getFormatted()).isEqualTo("key ****");
    assertThat(result.getMessage().getParams()).containsExactly("****");
    assertThat(result.getBreadcrumbs().get(0).getMessage()).isEqualTo("call with ****");
    assertThat(result.getBreadcrumbs().get(0).getData())
        .containsEntry("auth", "Bearer ****")
        .containsEntry("status", 401);
    assertThat(result.getTags()).containsEntry("note", "tag ****");
    assertThat(result.getExtras()).containsEntry("detail", "extra ****");
    assertThat(result.getTransaction()).isEqualTo("GET /x/****");
  }

  @Test
  void executeWhenUserHasNoIdThenUserIsDropped() {
    SentryEvent event = new SentryEvent();
    User user = new User();
    user.setIpAddress("203.0.113.9");
    event.setUser(user);

    assertThat(scrubber.execute(event, new Hint()).getUser()).isNull();
  }
}
