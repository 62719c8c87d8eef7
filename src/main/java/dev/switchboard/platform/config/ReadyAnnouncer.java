package dev.switchboard.platform.config;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/** Logs the one line a new user looks for: ready, in which mode, and where the dashboard is. */
class ReadyAnnouncer {

  private static final Logger log = LoggerFactory.getLogger("dev.switchboard");

  private final SwitchboardConfig config;

  ReadyAnnouncer(SwitchboardConfig config) {
    this.config = config;
  }

  @EventListener
  void ready(ApplicationReadyEvent event) {
    String port =
        event
            .getApplicationContext()
            .getEnvironment()
            .getProperty("local.server.port", String.valueOf(config.core().port()));
    String base = config.core().publicUrl().toString();
    if (!event.getApplicationContext().getEnvironment().containsProperty("SWITCHBOARD_PUBLIC_URL")
        && System.getenv("SWITCHBOARD_PUBLIC_URL") == null) {
      base = "http://localhost:" + port;
    }
    log.info(
        "Switchboard ready in {} mode on port {} (database: {}); dashboard: {}/admin",
        config.core().mode().id(),
        port,
        config.core().database().kind().name().toLowerCase(Locale.ROOT),
        base);
  }
}
