package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.auth.AccountCreated;
import dev.switchboard.testing.HttpTestClient;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code signed_up} is written in the transaction that creates the account: there after the commit,
 * gone with a rollback, once per account for each way of signing up (password, and google and
 * github through the dev identity provider).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/product-events",
      "SWITCHBOARD_SIGN_IN_RATE_LIMIT=1000/min"
    })
@Import(ProductEventsIT.FailingCommit.class)
class ProductEventsIT {

  static final String APP = "http://localhost:3000/after-sign-in";
  static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Fails the next account-creating commit after every other before-commit listener has run, noting
   * whether the {@code signed_up} row was already written in that transaction.
   */
  @TestConfiguration(proxyBeanMethods = false)
  static class FailingCommit {
    final AtomicBoolean armed = new AtomicBoolean();
    final AtomicReference<String> account = new AtomicReference<>();
    final AtomicLong rowsInside = new AtomicLong(-1);

    @Order(Ordered.LOWEST_PRECEDENCE)
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
    void beforeCommit(AccountCreated created) {
      if (!armed.getAndSet(false)) {
        return;
      }
      account.set(created.accountId());
      rowsInside.set(signedUpRows(jdbc, created.accountId()));
      throw new IllegalStateException("a later write of the sign-up failed");
    }

    @Autowired JdbcClient jdbc;
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;
  @Autowired ApplicationEventPublisher publisher;
  @Autowired FailingCommit failing;

  static long signedUpRows(JdbcClient jdbc, String accountId) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM analytics_events WHERE source = ? AND event = 'signed_up' AND user_id = ?")
        .params(ProductEvents.SOURCE, accountId)
        .query(Long.class)
        .single();
  }

  List<JsonNode> signedUp(String accountId) {
    return jdbc
        .sql(
            "SELECT payload FROM analytics_events WHERE source = ? AND event = 'signed_up' AND user_id = ?")
        .params(ProductEvents.SOURCE, accountId)
        .query(String.class)
        .list()
        .stream()
        .map(JSON::readTree)
        .toList();
  }

  String accountOf(String email) {
    return jdbc.sql("SELECT id FROM accounts WHERE email = ?")
        .param(email)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  static String email(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  HttpResponse<String> register(String email) {
    return new HttpTestClient(port)
        .post(
            "/api/auth/register",
            "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}");
  }

  @Test
  void registerWhenPasswordThenOneSignedUpWithMethodPasswordCommittedWithTheAccount() {
    String email = email("pw");

    assertThat(register(email).statusCode()).isEqualTo(202);
    // Registering the address again creates nothing, so records nothing.
    assertThat(register(email).statusCode()).isEqualTo(202);

    String account = accountOf(email);
    assertThat(account).startsWith("usr_");
    assertThat(signedUp(account))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.path("properties").path("method").asString()).isEqualTo("password");
              assertThat(m.path("userId").asString()).isEqualTo(account);
              assertThat(m.path("messageId").asString()).isEqualTo("signed_up:" + account);
            });
  }

  @Test
  void registerWhenTheSignUpTransactionFailsAfterTheEventWasWrittenThenNeitherAccountNorEvent() {
    String email = email("rollback");
    failing.armed.set(true);

    HttpResponse<String> response = register(email);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
    assertThat(failing.account.get()).startsWith("usr_");
    // Written inside the sign-up's transaction before the failure...
    assertThat(failing.rowsInside.get()).isEqualTo(1);
    // ...and rolled back with it.
    assertThat(accountOf(email)).isNull();
    assertThat(signedUpRows(jdbc, failing.account.get())).isZero();

    // The retry succeeds and records it once.
    assertThat(register(email).statusCode()).isEqualTo(202);
    assertThat(signedUp(accountOf(email))).hasSize(1);
  }

  @Test
  void accountCreatedWhenPublishedInATransactionThenStoredOnlyIfItCommits() {
    String committed = "usr_tx" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    String rolledBack = "usr_rb" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);

    transactions.executeWithoutResult(
        status -> {
          publisher.publishEvent(new AccountCreated(committed, "github", Instant.now()));
          // Not written yet: the listener runs just before the commit.
          assertThat(signedUpRows(jdbc, committed)).isZero();
        });
    assertThatThrownBy(
            () ->
                transactions.executeWithoutResult(
                    status -> {
                      publisher.publishEvent(
                          new AccountCreated(rolledBack, "github", Instant.now()));
                      throw new IllegalStateException("the account insert failed");
                    }))
        .hasMessage("the account insert failed");

    assertThat(signedUp(committed)).singleElement();
    assertThat(signedUpRows(jdbc, rolledBack)).isZero();
  }

  @Test
  void signInWhenGoogleOrGithubThroughTheDevProviderThenOneSignedUpEachWithItsMethod() {
    for (String provider : List.of("google", "github")) {
      String email = email(provider);

      signInWithDevProvider(provider, email);
      // A second sign-in of the same identity creates nothing.
      signInWithDevProvider(provider, email);

      String account = accountOf(email);
      assertThat(account).as(provider).startsWith("usr_");
      assertThat(signedUp(account))
          .as(provider)
          .singleElement()
          .satisfies(
              m -> assertThat(m.path("properties").path("method").asString()).isEqualTo(provider));
    }
  }

  /** The browser's part of a dev sign-in: start, allow on the dev page, follow the callback. */
  void signInWithDevProvider(String provider, String email) {
    HttpTestClient http = new HttpTestClient(port);
    URI authorize = location(http.get("/api/auth/login/" + provider + "?redirect_to=" + APP));
    assertThat(authorize.getPath()).isEqualTo("/dev/oauth/" + provider + "/authorize");
    Map<String, String> form = new LinkedHashMap<>(query(authorize));
    form.put("email", email);
    form.put("email_verified", "true");
    form.put("decision", "allow");
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    URI callback =
        location(
            http.send(
                HttpRequest.newBuilder(URI.create(http.base() + authorize.getRawPath()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body))));
    URI back = location(http.get(callback.getRawPath() + "?" + callback.getRawQuery()));
    assertThat(back.toString()).startsWith(APP + "?code=");
  }

  static URI location(HttpResponse<?> response) {
    assertThat(response.statusCode()).as(String.valueOf(response.body())).isEqualTo(302);
    return URI.create(response.headers().firstValue("Location").orElseThrow());
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      params.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }
}
