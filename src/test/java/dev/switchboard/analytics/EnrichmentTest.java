package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnrichmentTest {

  @Test
  void truncateWhenIpv4ThenSlash24() {
    assertThat(IpTruncation.truncate("203.0.113.77")).contains("203.0.113.0");
    assertThat(IpTruncation.truncate("010.001.002.003")).contains("10.1.2.0");
    assertThat(IpTruncation.truncate("256.1.1.1")).isEmpty();
  }

  @Test
  void truncateWhenIpv6ThenSlash48AndMappedV4AsV4() {
    assertThat(IpTruncation.truncate("2001:db8:85a3:8d3:1319:8a2e:370:7348"))
        .contains("2001:db8:85a3::");
    assertThat(IpTruncation.truncate("[2001:db8::1]")).contains("2001:db8:0::");
    assertThat(IpTruncation.truncate("::ffff:198.51.100.9")).contains("198.51.100.0");
  }

  @Test
  void truncateWhenNotALiteralThenEmptyWithoutDnsLookup() {
    assertThat(IpTruncation.truncate("example.com")).isEmpty();
    assertThat(IpTruncation.truncate("")).isEmpty();
    assertThat(IpTruncation.truncate(null)).isEmpty();
    assertThat(IpTruncation.truncate("1.2.3")).isEmpty();
  }

  @Test
  void campaignWhenUtmParametersThenSegmentFieldNames() {
    assertThat(
            Campaigns.fromUrl(
                "https://a.example/?utm_source=news&utm_medium=email&utm_campaign=spring%20sale"
                    + "&utm_term=shoes&utm_content=hero&x=1#top"))
        .containsExactly(
            Map.entry("source", "news"),
            Map.entry("medium", "email"),
            Map.entry("name", "spring sale"),
            Map.entry("term", "shoes"),
            Map.entry("content", "hero"));
    assertThat(Campaigns.fromUrl("https://a.example/?q=1")).isEmpty();
    assertThat(Campaigns.fromUrl("not a url ?utm_source=x%zz")).isEmpty();
    assertThat(Campaigns.fromUrl(null)).isEmpty();
  }

  @Test
  void isBotWhenCrawlerOrHeadlessThenTrueBrowsersAndLibrariesFalse() {
    assertThat(
            BotFilter.isBot(
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"))
        .isTrue();
    assertThat(
            BotFilter.isBot(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0"))
        .isTrue();
    assertThat(BotFilter.isBot("Mozilla/5.0 (compatible; bingbot/2.0)")).isTrue();
    assertThat(BotFilter.isBot("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15"))
        .isFalse();
    assertThat(BotFilter.isBot("analytics-java/3.5.1")).isFalse();
    assertThat(BotFilter.isBot(null)).isFalse();
  }

  /** The expression BotFilter used before it searched substrings; both must agree. */
  static final java.util.regex.Pattern FORMER =
      java.util.regex.Pattern.compile(
          "(?i)(bot\\b|bot/|crawl|spider|slurp|headlesschrome|phantomjs"
              + "|lighthouse|pingdom|uptimerobot|facebookexternalhit|embedly|ia_archiver|mediapartners-google|bingpreview"
              + "|python-urllib|scrapy|httrack|wget/|statuscake|site24x7|datadog synthetics)");

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
        "DuckDuckBot-Https/1.1; (+https://duckduckgo.com/duckduckbot)",
        "SomeRobot",
        "Bottle/0.12 (a framework, not a bot-like name)",
        "my_bot_client/1.0",
        "bot_x/1.0",
        "Mozilla/5.0 (compatible; YandexBot/3.0)",
        "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        "facebookexternalhit/1.1",
        "Wget/1.21.4",
        "wget-like/1.0",
        "Datadog Synthetics Browser Test",
        "Mozilla/5.0 Chrome-Lighthouse",
        "python-urllib/3.12",
        "Scrapy/2.11 (+https://scrapy.org)",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
        "ABOT",
        "abotx",
        ""
      })
  void isBotWhenAnyAgentThenSameVerdictAsTheFormerExpression(String agent) {
    assertThat(BotFilter.isBot(agent)).as(agent).isEqualTo(FORMER.matcher(agent).find());
  }
}
