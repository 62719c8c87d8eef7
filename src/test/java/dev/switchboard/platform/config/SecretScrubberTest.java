package dev.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {

  static final String SENDGRID = "SG.abcdefghijklmnop.qrstuvwxyz0123456789";
  static final String WEBHOOK_OLD = "whsec_old_0123456789abcdef";
  static final String WEBHOOK_NEW = "whsec_new_fedcba9876543210";
  static final String REDIS_PASSWORD = "r3dis-pa55word-long";
  static final String PAYPAL_SECRET = "paypal-client-secret-value";

  static SwitchboardConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("SWITCHBOARD_DATA_DIR", "target/scrubber-test"));
    env.putAll(extra);
    return SwitchboardConfig.load(env::get);
  }

  @Test
  void scrubWhenConfigHasSecretsInOptionalsListsUrlsAndNestedRecordsThenEveryOneIsMasked() {
    SecretScrubber scrubber =
        new SecretScrubber(
            config(
                Map.of(
                    "EMAIL_PROVIDER",
                    "sendgrid",
                    "SENDGRID_API_KEY",
                    SENDGRID,
                    "STRIPE_SECRET_KEY",
                    "sk_test_0123456789abcdefghij",
                    "STRIPE_WEBHOOK_SECRET",
                    WEBHOOK_OLD + "," + WEBHOOK_NEW,
                    "PAYPAL_CLIENT_ID",
                    "paypal-client-id",
                    "PAYPAL_CLIENT_SECRET",
                    PAYPAL_SECRET,
                    "PAYPAL_WEBHOOK_ID",
                    "WH-0123456789",
                    "REDIS_URL",
                    "redis://default:" + REDIS_PASSWORD + "@127.0.0.1:6379")));

    String scrubbed =
        scrubber.scrub(
            "key "
                + SENDGRID
                + " hooks "
                + WEBHOOK_OLD
                + "/"
                + WEBHOOK_NEW
                + " paypal "
                + PAYPAL_SECRET
                + " stripe sk_test_0123456789abcdefghij redis "
                + REDIS_PASSWORD);

    assertThat(scrubbed).isEqualTo("key **** hooks ****/**** paypal **** stripe **** redis ****");
  }

  @Test
  void scrubWhenUrlSecretIsQuotedWholeThenWholeUrlIsMaskedAndUserNameKept() {
    String url = "redis://switchboard:" + REDIS_PASSWORD + "@10.0.0.5:6379/0";
    SecretScrubber scrubber = new SecretScrubber(config(Map.of("REDIS_URL", url)));

    assertThat(scrubber.scrub("cannot connect to " + url)).isEqualTo("cannot connect to ****");
    assertThat(scrubber.scrub("user switchboard refused")).isEqualTo("user switchboard refused");
  }

  @Test
  void scrubWhenSecretIsShorterThanEightCharactersThenItIsLeftAlone() {
    SecretScrubber scrubber = SecretScrubber.of(List.of("short", "exactly8"));

    assertThat(scrubber.scrub("short and exactly8")).isEqualTo("short and ****");
    assertThat(scrubber.size()).isEqualTo(1);
  }

  @Test
  void scrubWhenOneSecretContainsAnotherThenTheLongerIsMaskedWhole() {
    SecretScrubber scrubber = SecretScrubber.of(List.of("abcdefgh", "abcdefgh-and-more"));

    assertThat(scrubber.scrub("x abcdefgh-and-more y abcdefgh")).isEqualTo("x **** y ****");
  }

  @Test
  void scrubWhenSecretHasRegexCharactersThenItIsMatchedLiterally() {
    SecretScrubber scrubber = SecretScrubber.of(List.of("a.b*c+d$1\\E(x)"));

    assertThat(scrubber.scrub("v=a.b*c+d$1\\E(x);")).isEqualTo("v=****;");
    assertThat(scrubber.scrub("v=aXbbbccd$1")).isEqualTo("v=aXbbbccd$1");
  }

  @Test
  void scrubWhenNoSecretsOrNullTextThenTextIsUnchanged() {
    SecretScrubber scrubber = new SecretScrubber(config(Map.of()));

    assertThat(scrubber.size()).isZero();
    assertThat(scrubber.scrub("nothing to hide")).isEqualTo("nothing to hide");
    assertThat(scrubber.scrub(null)).isNull();
  }

  @Test
  void collectWhenRecordTreeIsWalkedThenSecretsInAllShapesAreFound() {
    record Inner(Secret secret, String plain) {}
    record Outer(
        Optional<Secret> maybe,
        List<Secret> many,
        Map<String, Secret> named,
        Inner inner,
        Optional<Inner> optionalInner) {}

    Outer outer =
        new Outer(
            Optional.of(Secret.of("optional-secret")),
            List.of(Secret.of("list-secret-1")),
            Map.of("k", Secret.of("map-secret-1")),
            new Inner(Secret.of("nested-secret"), "not-a-secret-value"),
            Optional.of(new Inner(Secret.of("deep-optional-secret"), "plain-text-value")));

    assertThat(SecretScrubber.collect(outer))
        .containsExactlyInAnyOrder(
            "optional-secret",
            "list-secret-1",
            "map-secret-1",
            "nested-secret",
            "deep-optional-secret");
  }
}
