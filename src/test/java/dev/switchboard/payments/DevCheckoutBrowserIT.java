package dev.switchboard.payments;

import static dev.switchboard.payments.PaymentTesting.json;
import static dev.switchboard.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.email.EmailService;
import dev.switchboard.payments.stripe.StripeTestSigner;
import dev.switchboard.testing.HeaderCallerFilter;
import dev.switchboard.testing.HeadlessChromium;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestAccounts;
import dev.switchboard.testing.TestCallers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * End to end with no Stripe at all: a user checks out on the dev checkout page in a real headless
 * Chromium, the page's signed Stripe-format events go through the real {@code
 * /api/webhooks/stripe}, and the app sees the subscription.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=" + DevCheckoutBrowserIT.DATA_DIR,
      "PAYMENT_PLANS=pro=price_pro",
      "SWITCHBOARD_ADMIN_API_KEY=" + DevCheckoutBrowserIT.ADMIN_KEY
    })
@Import(TestCallers.class)
class DevCheckoutBrowserIT {

  static final String DATA_DIR = "target/it-data/payments-dev-checkout";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String ADMIN_KEY = "sk_payments_admin_key_0123456789abcdef";

  static WebDriver browser;

  @LocalServerPort int port;
  @Autowired DataSource dataSource;
  @Autowired EmailService email;

  HttpTestClient http;
  JdbcClient jdbc;

  @BeforeAll
  static void startBrowser() {
    ChromeOptions options = HeadlessChromium.options();
    browser = HeadlessChromium.start(options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
    jdbc = JdbcClient.create(dataSource);
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  String newAccount(String who) {
    return TestAccounts.create(
        jdbc, who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
  }

  /**
   * Starts a checkout through the API as the app would and returns the page URL it got. The app's
   * pages are stood in for by {@code /api/health} (a browser stays put on a 204, so {@code
   * /api/ping} would not do).
   */
  String checkoutUrl(String account) {
    HttpResponse<String> response =
        http.post(
            "/api/payments/checkout",
            "{\"plan\":\"pro\",\"successUrl\":\""
                + base()
                + "/api/health?paid={CHECKOUT_SESSION_ID}\",\"cancelUrl\":\""
                + base()
                + "/api/health?cancelled=1\"}",
            HeaderCallerFilter.USER_HEADER,
            account);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String url = json(response).path("url").asString();
    assertThat(url).startsWith(base() + "/payments/dev/checkout/cs_dev_");
    return url;
  }

  JsonNode subscription(String account) {
    return json(http.get("/api/payments/subscription", HeaderCallerFilter.USER_HEADER, account));
  }

  void awaitStatus(String account, String status) {
    await(
        account + " " + status,
        WAIT,
        () -> subscription(account).path("status").asString().equals(status));
  }

  void click(String id) {
    browser.findElement(By.id(id)).click();
  }

  void awaitUrlContains(String part) {
    try {
      new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().contains(part));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "browser at " + browser.getCurrentUrl() + ": " + browser.getPageSource(), e);
    }
  }

  long paymentFailedEmails(String account) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM email_messages m JOIN accounts a ON a.email = m.recipient"
                + " WHERE a.id = ? AND m.template = 'payment-failed'")
        .param(account)
        .query(Long.class)
        .single();
  }

  HttpResponse<String> signedPost(String payload) throws Exception {
    String secret = Files.readString(Path.of(DATA_DIR, "dev-stripe-webhook-secret")).trim();
    return http.post(
        "/api/webhooks/stripe",
        payload,
        "Stripe-Signature",
        StripeTestSigner.header(payload, secret, Instant.now()));
  }

  /**
   * Sends a stored event again, freshly signed with the dev secret, exactly as Stripe redelivers.
   */
  HttpResponse<String> replay(String account, String type) throws Exception {
    String payload =
        jdbc.sql("SELECT payload FROM payment_events WHERE account_id = ? AND event_type = ?")
            .params(account, type)
            .query(String.class)
            .single();
    String secret = Files.readString(Path.of(DATA_DIR, "dev-stripe-webhook-secret")).trim();
    return http.post(
        "/api/webhooks/stripe",
        payload,
        "Stripe-Signature",
        StripeTestSigner.header(payload, secret, Instant.now()));
  }

  String state(String account) {
    return jdbc.sql(
            "SELECT status || '|' || COALESCE(plan, '') || '|' || CAST(last_event_at AS VARCHAR(40)) || '|'"
                + " || CAST(updated_at AS VARCHAR(40)) FROM payment_subscriptions WHERE account_id = ?")
        .param(account)
        .query(String.class)
        .single();
  }

  @Test
  void devCheckoutWhenPaidThenActiveReplayChangesNothingAndDeletionDeactivates() throws Exception {
    String account = newAccount("payer");
    assertThat(subscription(account).path("status").asString()).isEqualTo("none");

    browser.get(checkoutUrl(account));
    assertThat(browser.findElement(By.id("plan")).getText()).isEqualTo("pro");
    click("pay");
    awaitUrlContains("/api/health?paid=cs_dev_");

    awaitStatus(account, "active");
    // checkout.session.completed activates; the period end comes with invoice.paid, a separate
    // event processed by
    // its own job, possibly a moment later (as with Stripe, where the two arrive in either order).
    await(
        "invoice applied",
        WAIT,
        () ->
            jdbc.sql("SELECT COUNT(*) FROM payment_records WHERE account_id = ?")
                    .param(account)
                    .query(Long.class)
                    .single()
                == 1);
    JsonNode view = subscription(account);
    assertThat(view.path("plan").asString()).isEqualTo("pro");
    assertThat(view.path("provider").asString()).isEqualTo("stripe");
    assertThat(Instant.parse(view.path("currentPeriodEnd").asString()))
        .isAfter(Instant.now().plus(Duration.ofDays(29)));

    String before = state(account);
    for (String type : new String[] {"checkout.session.completed", "invoice.paid"}) {
      HttpResponse<String> replayed = replay(account, type);
      assertThat(replayed.statusCode()).isEqualTo(200);
      assertThat(json(replayed).path("duplicate").asBoolean()).isTrue();
    }
    Thread.sleep(300);
    assertThat(state(account)).isEqualTo(before);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM payment_records WHERE account_id = ?")
                .param(account)
                .query(Long.class)
                .single())
        .isEqualTo(1);

    // The page cannot be paid twice.
    browser.navigate().back();
    browser.navigate().refresh();
    assertThat(browser.findElement(By.id("closed")).getText()).contains("paid");

    // The customer cancels in the (dev) billing portal: customer.subscription.deleted through the
    // webhook.
    HttpResponse<String> portal =
        http.post(
            "/api/payments/portal",
            "{\"returnUrl\":\"" + base() + "/api/health?back=1\"}",
            HeaderCallerFilter.USER_HEADER,
            account);
    assertThat(portal.statusCode()).as(portal.body()).isEqualTo(200);
    browser.get(json(portal).path("url").asString());
    assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("active");
    click("cancel-subscription");
    awaitUrlContains("/api/health?back=1");
    awaitStatus(account, "canceled");
  }

  @Test
  void devPortalWhenCustomerIdGuessedThenNothingCancelledAndTokenUrlWorks() {
    String account = newAccount("portal");
    HttpResponse<String> paid =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(checkoutUrl(account) + "/pay"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(paid.statusCode()).isEqualTo(303);
    awaitStatus(account, "active");

    String guessed = "cus_dev_" + account.replaceAll("[^A-Za-z0-9]", "");
    HttpResponse<String> cancel =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        base()
                            + "/payments/dev/portal/cancel?customer="
                            + guessed
                            + "&return="
                            + base()
                            + "/api/health"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(cancel.statusCode()).isNotEqualTo(303);
    assertThat(
            http.get(
                    "/payments/dev/portal?customer="
                        + guessed
                        + "&return="
                        + base()
                        + "/api/health")
                .statusCode())
        .isNotEqualTo(200);
    assertThat(subscription(account).path("status").asString()).isEqualTo("active");

    HttpResponse<String> portal =
        http.post(
            "/api/payments/portal",
            "{\"returnUrl\":\"" + base() + "/api/health\"}",
            HeaderCallerFilter.USER_HEADER,
            account);
    String url = json(portal).path("url").asString();
    assertThat(url).startsWith(base() + "/payments/dev/portal/bps_dev_").doesNotContain(guessed);
    HttpResponse<String> byToken =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/cancel"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(byToken.statusCode()).isEqualTo(303);
    awaitStatus(account, "canceled");
  }

  /**
   * As on Stripe Checkout, a declined card creates nothing: no subscription, no event, no dunning
   * email.
   */
  @Test
  void devCheckoutWhenDeclinedThenNoSubscriptionNoEmailAndThePageCanStillBePaid() throws Exception {
    String account = newAccount("decliner");

    browser.get(checkoutUrl(account));
    click("decline");
    awaitUrlContains("declined=true");

    assertThat(browser.findElement(By.id("declined")).getText()).contains("declined");
    Thread.sleep(300);
    assertThat(subscription(account).path("status").asString()).isEqualTo("none");
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE account_id = ?")
                .param(account)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(paymentFailedEmails(account)).isZero();

    click("pay");
    awaitUrlContains("/api/health?paid=");
    awaitStatus(account, "active");
  }

  /**
   * A failed renewal keeps access while Stripe retries, and the email says so once and links a page
   * that exists.
   */
  @Test
  void devPortalWhenRenewalFailsThenPastDueWithAccessAndOneEmailLinkingAnExistingPage()
      throws Exception {
    String account = newAccount("renewal");
    browser.get(checkoutUrl(account));
    click("pay");
    awaitStatus(account, "active");
    await(
        "invoice.paid applied",
        WAIT,
        () -> !subscription(account).path("currentPeriodEnd").isNull());

    HttpResponse<String> portal =
        http.post(
            "/api/payments/portal",
            "{\"returnUrl\":\"" + base() + "/api/health\"}",
            HeaderCallerFilter.USER_HEADER,
            account);
    browser.get(json(portal).path("url").asString());
    click("fail-renewal");

    awaitStatus(account, "past_due");
    await("payment-failed email", WAIT, () -> paymentFailedEmails(account) == 1);
    String address =
        jdbc.sql("SELECT email FROM accounts WHERE id = ?")
            .param(account)
            .query(String.class)
            .single();
    String text =
        email.recentMessages(50).stream()
            .filter(m -> m.recipient().equals(address))
            .findFirst()
            .orElseThrow()
            .content()
            .text();
    assertThat(text).contains("10.00 USD").contains("stays active while we retry");
    Matcher link =
        Pattern.compile("https?://[^/\\s]+(/payments/dev/portal/bps_dev_\\S+)").matcher(text);
    assertThat(link.find()).as(text).isTrue();
    assertThat(http.get(link.group(1)).statusCode()).isEqualTo(200);

    HttpResponse<String> replayed = replay(account, "invoice.payment_failed");
    assertThat(json(replayed).path("duplicate").asBoolean()).isTrue();
    Thread.sleep(300);
    assertThat(paymentFailedEmails(account)).isEqualTo(1);
  }

  @Test
  void devCheckoutWhenCancelledThenNothingHappens() {
    String account = newAccount("browser");

    browser.get(checkoutUrl(account));
    click("cancel");
    awaitUrlContains("/api/health?cancelled=1");

    assertThat(subscription(account).path("status").asString()).isEqualTo("none");
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE account_id = ?")
                .param(account)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void dashboardWhenAdminSendsDeletionAndReprocessesThenStateFollows() throws Exception {
    String account = newAccount("dash");
    String page = checkoutUrl(account);
    HttpResponse<String> paid =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(page + "/pay"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(paid.statusCode()).isEqualTo(303);
    awaitStatus(account, "active");
    String stranger = "cus_stranger" + UUID.randomUUID().toString().substring(0, 6);
    String eventId = "evt_unmatched" + UUID.randomUUID().toString().substring(0, 8);
    signedPost(
        StripeEventJson.event(
            eventId,
            "invoice.paid",
            Instant.now().minusSeconds(5),
            StripeEventJson.legacyInvoice(
                "in_" + eventId, stranger, "sub_" + stranger, Instant.now().plusSeconds(86400))));
    await(
        "unmatched",
        WAIT,
        () ->
            "unmatched"
                .equals(
                    jdbc.sql("SELECT status FROM payment_events WHERE event_id = ?")
                        .param(eventId)
                        .query(String.class)
                        .optional()
                        .orElse("")));

    signInToDashboard();
    browser.get(base() + "/admin/payments");
    assertThat(browser.findElement(By.cssSelector("header a.active")).getText())
        .isEqualTo("Payments");
    assertThat(
            browser
                .findElement(By.cssSelector("tr[data-account='" + account + "'] .status"))
                .getText())
        .isEqualTo("active");
    String email =
        jdbc.sql("SELECT email FROM accounts WHERE id = ?")
            .param(account)
            .query(String.class)
            .single();
    WebElement who = browser.findElement(By.cssSelector("tr[data-account='" + account + "'] td"));
    assertThat(who.getText()).as("accounts shown by address, the id as tooltip").isEqualTo(email);
    assertThat(who.getAttribute("title")).isEqualTo(account);

    browser
        .findElement(By.cssSelector("tr[data-account='" + account + "'] button.send-deleted"))
        .click();
    awaitUrlContains("notice=sent");
    awaitStatus(account, "canceled");

    // The stranger's customer becomes known (as a checkout would link it); the operator reprocesses
    // the event.
    String owner = newAccount("owner");
    jdbc.sql(
            "INSERT INTO payment_subscriptions (account_id, provider, customer_id, status, cancel_at_period_end,"
                + " updated_at) VALUES (?, 'stripe', ?, 'none', FALSE, CURRENT_TIMESTAMP)")
        .params(owner, stranger)
        .update();
    browser.get(base() + "/admin/payments");
    browser
        .findElement(By.cssSelector("tr[data-event='" + eventId + "'] button.reprocess"))
        .click();
    awaitUrlContains("notice=queued");
    awaitStatus(owner, "active");
    assertThat(browser.getPageSource()).doesNotContain(ADMIN_KEY);
  }

  void signInToDashboard() {
    browser.manage().deleteAllCookies();
    browser.get(base() + "/admin/login");
    browser.findElement(By.id("key")).sendKeys(ADMIN_KEY);
    browser.findElement(By.id("sign-in")).click();
    // "/admin/login" itself contains "/admin": wait until the sign-in has left the login page.
    new WebDriverWait(browser, WAIT).until(d -> !d.getCurrentUrl().contains("/admin/login"));
  }

  String eventId(String account, String type) {
    return jdbc.sql(
            "SELECT event_id FROM payment_events WHERE account_id = ? AND event_type = ?"
                + " ORDER BY received_at DESC LIMIT 1")
        .params(account, type)
        .query(String.class)
        .optional()
        .orElse("");
  }

  void trigger(String account, String type) {
    browser.get(base() + "/admin/payments");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("trigger-account")))
        .selectByValue(account);
    browser
        .findElement(By.cssSelector("#trigger button.trigger-event[value='" + type + "']"))
        .click();
    awaitUrlContains("notice=sent");
  }

  /** Status and body of a form POST made by the signed-in page itself. */
  String postFromPage(String path, String form) {
    Object result =
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "fetch(arguments[0], {method: 'POST', headers: {'Content-Type':"
                    + " 'application/x-www-form-urlencoded'}, body: arguments[1], redirect: 'manual'})"
                    + ".then(r => r.text().then(t => done(r.status + ' ' + t)));",
                path,
                form);
    return String.valueOf(result);
  }

  @Test
  void dashboardWhenEachStripeEventTriggeredThenProcessedAndPayloadViewable() throws Exception {
    String account = newAccount("trigger");
    signInToDashboard();
    browser.get(base() + "/admin/payments");
    assertThat(
            browser.findElements(By.cssSelector("#trigger button.trigger-event")).stream()
                .map(b -> b.getAttribute("value"))
                .toList())
        .containsExactly(
            "checkout.session.completed",
            "invoice.paid",
            "invoice.payment_failed",
            "customer.subscription.deleted");

    trigger(account, "checkout.session.completed");
    awaitStatus(account, "active");
    trigger(account, "invoice.paid");
    await(
        "invoice.paid processed",
        WAIT,
        () ->
            !eventId(account, "invoice.paid").isEmpty()
                && "processed"
                    .equals(
                        jdbc.sql("SELECT status FROM payment_events WHERE event_id = ?")
                            .param(eventId(account, "invoice.paid"))
                            .query(String.class)
                            .single()));
    assertThat(subscription(account).path("plan").asString()).isEqualTo("pro");
    assertThat(subscription(account).path("currentPeriodEnd").asString())
        .as("the paid invoice's period")
        .isNotBlank();
    trigger(account, "invoice.payment_failed");
    awaitStatus(account, "past_due");
    await("payment-failed email", WAIT, () -> paymentFailedEmails(account) == 1);
    trigger(account, "customer.subscription.deleted");
    awaitStatus(account, "canceled");

    // Each shows in the events table, and its row links to the payload.
    browser.get(base() + "/admin/payments");
    for (String type :
        java.util.List.of(
            "checkout.session.completed",
            "invoice.paid",
            "invoice.payment_failed",
            "customer.subscription.deleted")) {
      String id = eventId(account, type);
      assertThat(id).as(type).startsWith("evt_dev_");
      assertThat(
              browser.findElement(By.cssSelector("tr[data-event='" + id + "'] .status")).getText())
          .as(type)
          .isEqualTo("processed");
    }
    String deleted = eventId(account, "customer.subscription.deleted");
    browser.findElement(By.cssSelector("tr[data-event='" + deleted + "'] a")).click();
    awaitUrlContains("/admin/payments/events/stripe/" + deleted);
    JsonNode shown = PaymentTesting.JSON.readTree(browser.findElement(By.id("payload")).getText());
    assertThat(shown.path("id").asString()).isEqualTo(deleted);
    assertThat(shown.path("type").asString()).isEqualTo("customer.subscription.deleted");
    assertThat(shown.path("data").path("object").path("metadata").path("account_id").asString())
        .isEqualTo(account);

    // Bad input changes nothing and answers the JSON error shape.
    long events = jdbc.sql("SELECT COUNT(*) FROM payment_events").query(Long.class).single();
    assertThat(
            postFromPage("/admin/payments/test/trigger", "type=charge.refunded&account=" + account))
        .startsWith("400 ")
        .contains("\"unknown_event_type\"");
    assertThat(postFromPage("/admin/payments/test/trigger", "type=invoice.paid&account=acc_nobody"))
        .startsWith("404 ")
        .contains("\"unknown_account\"");
    assertThat(postFromPage("/admin/payments/test/trigger", "type=invoice.paid"))
        .startsWith("400 ")
        .contains("\"validation_failed\"");
    String fresh = newAccount("nosub");
    assertThat(postFromPage("/admin/payments/test/trigger", "type=invoice.paid&account=" + fresh))
        .startsWith("409 ")
        .contains("\"no_subscription\"");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM payment_events").query(Long.class).single())
        .isEqualTo(events);
  }

  @Test
  void dashboardEventPageWhenPayloadHasMarkupThenShownEscaped() throws Exception {
    String eventId = "evt_markup" + UUID.randomUUID().toString().substring(0, 8);
    String payload =
        "{\"id\":\""
            + eventId
            + "\",\"object\":\"event\",\"type\":\"charge.refunded\",\"created\":"
            + Instant.now().getEpochSecond()
            + ",\"data\":{\"object\":{\"description\":\"</pre><script>window.injected=1</script>\"}}}";
    assertThat(signedPost(payload).statusCode()).isEqualTo(200);
    signInToDashboard();
    browser.get(base() + "/admin/payments/events/stripe/" + eventId);
    assertThat(browser.findElement(By.id("payload")).getText())
        .contains("</pre><script>window.injected=1</script>");
    assertThat(
            ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return window.injected === undefined"))
        .isEqualTo(true);
    assertThat(browser.getPageSource()).doesNotContain(ADMIN_KEY);
    browser.get(base() + "/admin/payments/events/stripe/evt_missing");
    assertThat(browser.getPageSource()).contains("not_found");
  }
}
