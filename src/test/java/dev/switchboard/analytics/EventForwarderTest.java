package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** Segment's rule for the integrations object, per destination name. */
class EventForwarderTest {

  static final JsonMapper JSON = JsonMapper.builder().build();

  static EventDestination named(String... names) {
    return new EventDestination() {
      @Override
      public String id() {
        return "x";
      }

      @Override
      public List<String> integrationNames() {
        return List.of(names);
      }

      @Override
      public Delivery send(List<ForwardedEvent> events) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                                   | true",
        "{\"All\":false}                      | false",
        "{\"All\":false,\"PostHog\":true}     | true",
        "{\"All\":false,\"posthog\":true}     | true",
        "{\"All\":true,\"PostHog\":false}     | false",
        "{\"PostHog\":false}                  | false",
        "{\"Segment.io\":false}               | true",
        "{\"All\":false,\"PostHog\":{\"x\":1}} | true",
        "{\"All\":false,\"Segment.io\":true}  | false",
      })
  void wantedWhenIntegrationsObjectGivenThenSegmentRuleForPostHog(
      String integrations, boolean expected) {
    assertThat(EventForwarder.wanted(named("PostHog"), JSON.readTree(integrations)))
        .isEqualTo(expected);
  }

  @Test
  void wantedWhenNoIntegrationsObjectThenEverythingGoes() {
    assertThat(EventForwarder.wanted(named("PostHog"), JSON.missingNode())).isTrue();
    assertThat(
            EventForwarder.wanted(
                named("Segment.io", "Segment"), JSON.readTree("{\"Segment\":false}")))
        .isFalse();
  }
}
