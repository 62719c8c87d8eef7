package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  /** How Campaigns found the query before it looked for it itself; both must agree. */
  static String formerQuery(String url) {
    try {
      return URI.create(url.strip()).getRawQuery();
    } catch (IllegalArgumentException e) {
      int q = url.indexOf('?');
      return q < 0 ? null : url.substring(q + 1).split("#", 2)[0];
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://app.example.com/a?utm_source=bench",
        "https://a.example/?utm_source=news&x=1#top",
        "https://a.example/#frag?utm_source=x",
        "https://a.example/p?utm_source=a#b?utm_medium=c",
        "/relative/path?utm_source=x",
        "//host.example/?utm_source=x",
        "mailto:someone@example.com?utm_source=x",
        "urn:x?utm_source=y",
        "a:?utm_source=y",
        "not a url ?utm_source=x%zz",
        " https://a.example/?utm_source=padded ",
        "https://a.example/?utm_source=x\u3000",
        "https://a.example/?utm_source=x y",
        "https://a.example/?utm_source=%E2%82%AC",
        "https://exa mple.com/?utm_source=x",
        "https://[::1/?utm_source=x",
        "https://a.example:99999/?utm_source=x",
        "https://a.example/?",
        "https://a.example/?utm_source",
        "HTTP+X.y-z://a/?utm_source=x",
        "1http://a/?utm_source=x",
        "?utm_source=x",
        "https://a.example/path:with:colons?utm_source=x",
        "https://a.example/?utm_source=x&utm_source=y#",
      })
  void queryWhenAnyUrlThenSameAsTheUriParser(String url) {
    String plain = Campaigns.plainQuery(url);
    if (plain != null) {
      assertThat(plain).as(url).isEqualTo(formerQuery(url));
    }
    assertThat(Campaigns.fromUrl(url)).as(url).isEqualTo(formerCampaign(url));
  }

  /** Campaigns.fromUrl as it was, on the former query. */
  private static Map<String, String> formerCampaign(String url) {
    Map<String, String> campaign = new java.util.LinkedHashMap<>();
    if (!url.toLowerCase(java.util.Locale.ROOT).contains("utm_")) {
      return campaign;
    }
    String query = formerQuery(url);
    if (query == null) {
      return campaign;
    }
    Map<String, String> fields =
        Map.of(
            "utm_source",
            "source",
            "utm_medium",
            "medium",
            "utm_campaign",
            "name",
            "utm_term",
            "term",
            "utm_content",
            "content");
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String field = fields.get(pair.substring(0, eq).toLowerCase(java.util.Locale.ROOT));
      if (field != null && !campaign.containsKey(field)) {
        try {
          String value =
              java.net.URLDecoder.decode(
                  pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
          if (!value.isEmpty()) {
            campaign.put(field, value.length() > 200 ? value.substring(0, 200) : value);
          }
        } catch (IllegalArgumentException ignored) {
          // as before
        }
      }
    }
    return campaign;
  }

  /** The expression IpTruncation read every dotted quad with; the hand-written reading agrees. */
  static final java.util.regex.Pattern FORMER_IPV4 =
      java.util.regex.Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "203.0.113.77",
        "0.0.0.0",
        "255.255.255.255",
        "256.1.1.1",
        "1.2.3.256",
        "010.001.002.003",
        "1.2.3",
        "1.2.3.4.",
        ".1.2.3.4",
        "1..2.3",
        "1.2.3.4.5",
        "1234.1.1.1",
        "1.2.3.0004",
        "1.2.3.4 ",
        "[1.2.3.4]",
        "1.2.3.a",
        "\u0661.2.3.4",
        ""
      })
  void truncateWhenDottedQuadThenSameAsTheFormerExpression(String address) {
    var m = FORMER_IPV4.matcher(address.strip().replaceAll("^\\[(.*)]$", "$1"));
    java.util.Optional<String> former = java.util.Optional.empty();
    if (m.matches()) {
      boolean valid = true;
      for (int i = 1; i <= 4; i++) {
        valid &= Integer.parseInt(m.group(i)) <= 255;
      }
      if (valid) {
        former =
            java.util.Optional.of(
                Integer.parseInt(m.group(1))
                    + "."
                    + Integer.parseInt(m.group(2))
                    + "."
                    + Integer.parseInt(m.group(3))
                    + ".0");
      }
    }
    assertThat(IpTruncation.truncate(address)).as(address).isEqualTo(former);
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
