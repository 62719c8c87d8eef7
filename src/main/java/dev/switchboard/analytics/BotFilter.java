package dev.switchboard.analytics;

import java.util.regex.Pattern;

/**
 * Known crawlers, monitors and headless browsers by user agent. Their events are dropped and still
 * answered 200, so they learn nothing. A user agent is not proof; this catches the ones that say
 * what they are.
 */
final class BotFilter {

  private static final Pattern BOTS =
      Pattern.compile(
          "(?i)(bot\\b|bot/|crawl|spider|slurp|headlesschrome|phantomjs"
              + "|lighthouse|pingdom|uptimerobot|facebookexternalhit|embedly|ia_archiver|mediapartners-google|bingpreview"
              + "|python-urllib|scrapy|httrack|wget/|statuscake|site24x7|datadog synthetics)");

  private BotFilter() {}

  static boolean isBot(String userAgent) {
    return userAgent != null && BOTS.matcher(userAgent).find();
  }
}
