package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HeadlessChromium;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard in a real headless Chromium (the system's; installed by scripts/test-services.sh).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/dashboard",
      "SWITCHBOARD_ADMIN_API_KEY=" + DashboardIT.ADMIN_KEY,
      "SENTRY_TRACES_SAMPLE_RATE=0.2"
    })
class DashboardIT {

  static final String ADMIN_KEY = "sk_dashboard_admin_key_0123456789abcdef";
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  static WebDriver browser;

  @LocalServerPort int port;

  @BeforeAll
  static void startBrowser() {
    ChromeOptions options = HeadlessChromium.options("--window-size=1400,1000");
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

  @Test
  void adminWhenSignedInWithAdminKeyThenDrawsTheMapColouredByHealth() throws Exception {
    browser.manage().deleteAllCookies();
    browser.get(url("/admin"));
    assertThat(browser.getCurrentUrl()).endsWith("/admin/login");

    browser.findElement(By.id("key")).sendKeys("sk_not_a_real_key_at_all_000000000000");
    browser.findElement(By.id("sign-in")).click();
    WebElement error =
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(ExpectedConditions.presenceOfElementLocated(By.id("login-error")));
    assertThat(error.getText()).contains("not a valid API key");
    assertThat(browser.manage().getCookieNamed(AdminSession.COOKIE)).isNull();

    browser.findElement(By.id("key")).sendKeys(ADMIN_KEY);
    browser.findElement(By.id("sign-in")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-integration='database'][data-status='up']")));

    Cookie cookie = browser.manage().getCookieNamed(AdminSession.COOKIE);
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");

    List<WebElement> boxes = browser.findElements(By.cssSelector(".integration[data-integration]"));
    assertThat(boxes)
        .extracting(b -> b.getAttribute("data-integration"))
        .contains("database", "errors", "jobs", "email");
    for (WebElement box : boxes) {
      assertThat(box.isDisplayed()).isTrue();
      assertThat(box.getSize().getWidth()).isGreaterThan(100);
      assertThat(box.getCssValue("border-top-color")).isNotEqualTo("rgba(0, 0, 0, 0)");
    }
    WebElement database = browser.findElement(By.cssSelector("[data-integration='database']"));
    assertThat(database.getCssValue("border-top-color")).isEqualTo("rgba(31, 157, 85, 1)");
    assertThat(browser.findElements(By.cssSelector(".area[data-area]")))
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(browser.findElement(By.cssSelector(".app")).getText()).contains("your app");
    // The data dir is reused between runs: earlier runs show as stopped instances.
    List<WebElement> self =
        browser.findElements(By.cssSelector("#instances-table tr[data-instance]")).stream()
            .filter(row -> row.getText().contains("(this page)"))
            .toList();
    assertThat(self).hasSize(1);
    assertThat(self.get(0).getAttribute("data-state")).isEqualTo("live");
    assertThat(self.get(0).getText()).contains("inst_", "development build");
    assertThat(browser.getPageSource()).doesNotContain(ADMIN_KEY);

    Files.createDirectories(SCREENSHOTS);
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Path saved = SCREENSHOTS.resolve("admin-map.png");
    Files.copy(shot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(saved)).isGreaterThan(10_000);

    browser.get(url("/admin/errors"));
    assertThat(browser.findElement(By.id("errors")).isDisplayed()).isTrue();
    browser.findElement(By.id("raise-test-error")).click();
    // The click reloads the page: the table is looked up again until the new one shows the group.
    // A table found just before the reload is gone when its text is read; Chrome reports that as a
    // stale element or, as seen once in a suite run, as "Node with given id does not belong to the
    // document" (a plain WebDriverException): both mean "look again".
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .ignoring(org.openqa.selenium.WebDriverException.class)
        .until(
            d ->
                d.findElement(By.id("errors"))
                    .getText()
                    .contains("Test error raised from the dashboard"));
    assertThat(browser.getCurrentUrl()).endsWith("/admin/errors");

    browser.findElement(By.cssSelector("header form button")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.urlContains("/admin/login"));
    browser.get(url("/admin"));
    assertThat(browser.getCurrentUrl()).endsWith("/admin/login");
  }

  @Test
  void emailPagesWhenWelcomeSentToOutboxThenRenderedMailShowsNameAndLinkEscaped() throws Exception {
    dev.switchboard.testing.HttpTestClient api =
        new dev.switchboard.testing.HttpTestClient(port).authorized(ADMIN_KEY);
    String sent =
        api.post(
                "/api/email/send",
                "{\"template\":\"welcome\",\"to\":\"ada@example.test\","
                    + "\"variables\":{\"name\":\"<b>Ada</b> & co\",\"verifyUrl\":\"https://app.example.test/verify?token=t0k&x=1\"}}")
            .body();
    String id = sent.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
    while (!api.get("/api/email/messages/" + id).body().contains("\"status\":\"sent\"")) {
      assertThat(java.time.Instant.now()).as("message " + id + " sent").isBefore(deadline);
      Thread.sleep(100);
    }

    browser.manage().deleteAllCookies();
    browser.get(url("/admin/login"));
    browser.findElement(By.id("key")).sendKeys(ADMIN_KEY);
    browser.findElement(By.id("sign-in")).click();
    // "/admin/login" itself contains "/admin": wait until the sign-in has left the login page, or
    // the next page load can go out before the session cookie is set.
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> !d.getCurrentUrl().contains("/admin/login"));
    browser.get(url("/admin/email"));
    WebElement row = browser.findElement(By.cssSelector("[data-message='" + id + "']"));
    assertThat(row.getText()).contains("ada@example.test").contains("welcome").contains("sent");
    row.findElement(By.tagName("a")).click();

    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.presenceOfElementLocated(By.id("mail-html")));
    assertThat(browser.findElement(By.id("message-status")).getText()).isEqualTo("sent");
    assertThat(browser.findElement(By.id("mail-subject")).getText()).contains("<b>Ada</b> & co");
    assertThat(browser.findElement(By.id("mail-text")).getText())
        .contains("<b>Ada</b> & co")
        .contains("https://app.example.test/verify?token=t0k&x=1");
    Files.createDirectories(SCREENSHOTS);
    Files.copy(
        ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(),
        SCREENSHOTS.resolve("admin-email-message.png"),
        StandardCopyOption.REPLACE_EXISTING);

    browser.switchTo().frame(browser.findElement(By.id("mail-html")));
    try {
      // Escaped: the name shows as text, and no <b> element was created from it.
      assertThat(browser.findElement(By.tagName("h1")).getText())
          .isEqualTo("Welcome, <b>Ada</b> & co");
      assertThat(browser.findElement(By.tagName("h1")).findElements(By.tagName("b"))).isEmpty();
      assertThat(browser.findElement(By.linkText("Confirm my address")).getAttribute("href"))
          .isEqualTo("https://app.example.test/verify?token=t0k&x=1");
      // A link works: it opens a new tab, as from a mail client (scripts in the mail stay off).
      String page = browser.getWindowHandle();
      int tabs = browser.getWindowHandles().size();
      browser.findElement(By.linkText("Confirm my address")).click();
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(d -> d.getWindowHandles().size() == tabs + 1);
      for (String handle : browser.getWindowHandles()) {
        if (!handle.equals(page)) {
          browser.switchTo().window(handle).close();
        }
      }
      browser.switchTo().window(page);
    } finally {
      browser.switchTo().defaultContent();
    }

    browser.get(url("/admin/email"));
    browser.findElement(By.id("test-email-to")).sendKeys("tester@example.test");
    browser.findElement(By.id("send-test-email")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.urlContains("/admin/email/messages/msg_"));
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            d -> {
              d.navigate().refresh();
              return d.findElements(By.id("mail-subject")).size() == 1;
            });
    assertThat(browser.getPageSource()).contains("tester@example.test");
  }
}
