package dev.switchboard.testing;

import java.io.File;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's Chromium and ChromeDriver (installed by scripts/test-services.sh; {@code
 * test.chromium} and {@code test.chromedriver} override the paths) for the browser tests: headless,
 * no sandbox, nothing fetched from the network by the browser itself.
 */
public final class HeadlessChromium {

  /**
   * A desktop Chrome user agent: analytics ingest drops {@code HeadlessChrome} as a bot (answering
   * 200), so tests that send events do it as a visitor's browser would.
   */
  public static final String VISITOR_USER_AGENT =
      "--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/156.0 Safari/537.36";

  private HeadlessChromium() {}

  /** The shared options plus a test's own arguments ({@code --window-size=…}, a user agent). */
  public static ChromeOptions options(String... extraArguments) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("test.chromium", "/usr/bin/chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync");
    options.addArguments(extraArguments);
    return options;
  }

  /** Starts ChromeDriver on a free port and a browser with these options. */
  public static WebDriver start(ChromeOptions options) {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                new File(System.getProperty("test.chromedriver", "/usr/bin/chromedriver")))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
