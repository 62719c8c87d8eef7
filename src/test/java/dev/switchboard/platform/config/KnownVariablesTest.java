package dev.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnownVariablesTest {

  @Test
  void unknownWhenMisspelledThenDidYouMeanTheClosestName() {
    assertThat(
            KnownVariables.unknown(
                List.of("EMAIL_PROVDER", "SENDGRID_APIKEY", "STRIPE_SECRET", "SWITCHBOARD_EVN")))
        .containsExactly(
            "EMAIL_PROVDER is not a Switchboard variable and is ignored; did you mean EMAIL_PROVIDER?",
            "SENDGRID_APIKEY is not a Switchboard variable and is ignored; did you mean SENDGRID_API_KEY?",
            "STRIPE_SECRET is not a Switchboard variable and is ignored; did you mean STRIPE_SECRET_KEY?",
            "SWITCHBOARD_EVN is not a Switchboard variable and is ignored; did you mean SWITCHBOARD_ENV?");
  }

  @Test
  void unknownWhenFileVariantMisspelledThenSuggestsTheFileVariant() {
    assertThat(KnownVariables.unknown(List.of("SENDGRID_APIKEY_FILE")))
        .containsExactly(
            "SENDGRID_APIKEY_FILE is not a Switchboard variable and is ignored; did you mean SENDGRID_API_KEY_FILE?");
  }

  @Test
  void unknownWhenKnownOrFileOrOtherToolsVariablesThenNoWarning() {
    assertThat(
            KnownVariables.unknown(
                List.of(
                    "EMAIL_PROVIDER",
                    "SENDGRID_API_KEY_FILE",
                    "PATH",
                    "HOME",
                    "JAVA_HOME",
                    "AWS_PROFILE",
                    "GITHUB_SHA",
                    "GOOGLE_APPLICATION_CREDENTIALS",
                    "ANALYTICS_RETENTION",
                    "ALERT_REMINDER_INTERVAL",
                    "ALERT_MAX_REMINDERS",
                    "SWITCHBOARD_SHUTDOWN_GRACE",
                    "lowercase_email_provdr")))
        .isEmpty();
  }

  @Test
  void unknownWhenOurPrefixButNothingCloseThenStillWarned() {
    assertThat(KnownVariables.unknown(List.of("SWITCHBOARD_COMPLETELY_DIFFERENT_THING")))
        .containsExactly(
            "SWITCHBOARD_COMPLETELY_DIFFERENT_THING is not a Switchboard variable and is ignored "
                + "(docs/configuration.md lists them all)");
  }

  @Test
  void knownWhenEveryVariableTheLoadersReadThenListed() {
    Set<String> read = new HashSet<>();
    Map<String, String> everything =
        Map.of(
            "STORAGE_PROVIDER",
            "s3",
            "EMAIL_FALLBACK_PROVIDER",
            "postmark",
            "PAYPAL_CLIENT_ID",
            "id",
            "SWITCHBOARD_ENV",
            "production");
    try {
      SwitchboardConfig.load(
          name -> {
            read.add(name);
            return everything.get(name);
          });
    } catch (InvalidConfigurationException expected) {
      // Problems do not matter here: only which names were looked up.
    }
    read.removeIf(name -> name.endsWith("_FILE"));
    assertThat(read)
        .isNotEmpty()
        .allSatisfy(name -> assertThat(KnownVariables.known(name)).as(name).isTrue());
  }

  @Test
  void distanceWhenSwapOrEditThenCounted() {
    assertThat(KnownVariables.distance("EMAIL_PROVDIER", "EMAIL_PROVIDER")).isEqualTo(1);
    assertThat(KnownVariables.distance("SMTP_URL", "SMTP_URL")).isZero();
    assertThat(KnownVariables.distance("S3_BUCKT", "S3_BUCKET")).isEqualTo(1);
  }
}
