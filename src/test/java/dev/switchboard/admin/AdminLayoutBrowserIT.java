package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.email.EmailService;
import dev.switchboard.email.EmailTemplate;
import dev.switchboard.payments.stripe.StripeTestSigner;
import dev.switchboard.testing.HeadlessChromium;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestAccounts;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * No sideways scrolling at 1280 px: every dashboard page, signed in, with rows made to be wide
 * (long addresses, long ids), opened in a real headless Chromium at 1280x800.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=" + AdminLayoutBrowserIT.DATA_DIR,
      "SWITCHBOARD_ADMIN_API_KEY=" + AdminLayoutBrowserIT.ADMIN_KEY,
      "PAYMENT_PLANS=pro=price_pro"
    })
class AdminLayoutBrowserIT {

  static final String DATA_DIR = "target/it-data/admin-layout";
  static final String ADMIN_KEY = "sk_layout_admin_key_0123456789abcdef012";
  static final int WIDTH = 1280;

  static WebDriver browser;

  @LocalServerPort int port;
  @Autowired DataSource dataSource;
  @Autowired EmailService email;

  @BeforeAll
  static void startBrowser() {
    ChromeOptions options =
        HeadlessChromium.options("--hide-scrollbars", "--window-size=" + WIDTH + ",800");
    browser = HeadlessChromium.start(options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Rows as wide as real ones get: unbroken addresses and ids with no place to wrap. */
  List<String> seed() throws Exception {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    String tag = UUID.randomUUID().toString().replace("-", "");
    String longEmail = "long.local.part." + tag + "@" + tag + ".mail.example-company-name.com";
    String account = TestAccounts.create(jdbc, longEmail);
    TestAccounts.create(jdbc, "short-" + tag.substring(0, 6) + "@example.com");

    EmailTemplate template = email.templates().get(0);
    Map<String, Object> variables = new LinkedHashMap<>();
    for (String name : template.requiredVariables()) {
      variables.put(name, "https://example.com/" + tag + tag + tag);
    }
    String message = email.send(template.id(), longEmail, variables, Optional.empty());

    String secret = Files.readString(Path.of(DATA_DIR, "dev-stripe-webhook-secret")).trim();
    String longId = "evt_" + tag + tag + tag;
    String customer = "cus_" + tag + tag;
    String payload =
        "{\"id\":\""
            + longId
            + "\",\"object\":\"event\",\"type\":\"invoice.paid\",\"created\":"
            + Instant.now().getEpochSecond()
            + ",\"data\":{\"object\":{\"id\":\"in_"
            + tag
            + tag
            + "\",\"object\":\"invoice\",\"customer\":\""
            + customer
            + "\",\"subscription\":\"sub_"
            + tag
            + tag
            + "\",\"status\":\"paid\"}}}";
    HttpResponse<String> sent =
        new HttpTestClient(port)
            .post(
                "/api/webhooks/stripe",
                payload,
                "Stripe-Signature",
                StripeTestSigner.header(payload, secret, Instant.now()));
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    jdbc.sql(
            "INSERT INTO payment_subscriptions (account_id, provider, customer_id, status,"
                + " cancel_at_period_end, updated_at) VALUES (?, 'stripe', ?, 'none', FALSE,"
                + " CURRENT_TIMESTAMP)")
        .params(account, customer)
        .update();
    return List.of(
        "/admin",
        "/admin/email",
        "/admin/email/messages/" + message,
        "/admin/errors",
        "/admin/users",
        "/admin/files",
        "/admin/payments",
        "/admin/payments/events/stripe/" + longId,
        "/admin/analytics",
        "/admin/alerts");
  }

  @Test
  void everyAdminPageWhenRowsAreLongThenNoSidewaysScrollingAt1280() throws Exception {
    List<String> pages = seed();
    browser.manage().deleteAllCookies();
    browser.get(url("/admin/login"));
    assertThat(scrollWidth()).as("/admin/login").isLessThanOrEqualTo(WIDTH);
    browser.findElement(By.id("key")).sendKeys(ADMIN_KEY);
    browser.findElement(By.id("sign-in")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> !d.getCurrentUrl().endsWith("/admin/login"));
    // An error to list, raised the way an operator does.
    browser.get(url("/admin/errors"));
    // The next page is opened only once the form's own navigation has replaced this page: a
    // navigation still under way could otherwise land after it (seen as /admin/errors in place of
    // /admin).
    browser.findElements(By.cssSelector("form[action='/admin/errors/test'] button")).stream()
        .findFirst()
        .ifPresent(
            (WebElement raise) -> {
              raise.click();
              new WebDriverWait(browser, Duration.ofSeconds(10))
                  .until(ExpectedConditions.stalenessOf(raise));
            });

    assertThat(
            ((Number) ((JavascriptExecutor) browser).executeScript("return window.innerWidth"))
                .intValue())
        .as("the viewport")
        .isEqualTo(WIDTH);
    List<String> wide = new ArrayList<>();
    for (String page : pages) {
      browser.get(url(page));
      assertThat(browser.getCurrentUrl()).as(page).endsWith(page);
      int width = scrollWidth();
      if (width > WIDTH) {
        wide.add(page + " is " + width + " px wide");
      }
    }
    assertThat(wide).as("pages wider than the window").isEmpty();
  }

  int scrollWidth() {
    return ((Number)
            ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth"))
        .intValue();
  }
}
