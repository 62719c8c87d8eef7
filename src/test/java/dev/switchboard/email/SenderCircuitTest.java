package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SenderCircuitTest {

  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  final SenderCircuit circuit = new SenderCircuit(clock, 5, Duration.ofSeconds(30));

  @Test
  void allowsPrimaryWhenFewerThanThresholdFailuresThenStillPrimary() {
    for (int i = 0; i < 4; i++) {
      circuit.failure();
    }
    assertThat(circuit.allowsPrimary()).isTrue();
    circuit.success();
    circuit.failure();
    assertThat(circuit.open()).isFalse();
  }

  @Test
  void allowsPrimaryWhenFiveConsecutiveFailuresThenOpenUntilOneTrialAfter30Seconds() {
    for (int i = 0; i < 5; i++) {
      circuit.failure();
    }
    assertThat(circuit.allowsPrimary()).isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(circuit.allowsPrimary()).isTrue();
    assertThat(circuit.allowsPrimary()).as("one trial at a time").isFalse();

    circuit.failure();
    assertThat(circuit.allowsPrimary()).as("failed trial reopens").isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(circuit.allowsPrimary()).isTrue();
    circuit.success();
    assertThat(circuit.open()).isFalse();
    assertThat(circuit.allowsPrimary()).isTrue();
  }

  @Test
  void allowsPrimaryWhenTrialNeverReportsThenAnotherTrialAfterOpenPeriod() {
    for (int i = 0; i < 5; i++) {
      circuit.failure();
    }
    clock.advance(Duration.ofSeconds(30));
    assertThat(circuit.allowsPrimary()).isTrue();
    clock.advance(Duration.ofSeconds(30));
    assertThat(circuit.allowsPrimary()).isTrue();
  }

  @Test
  void chooseWhenCircuitOpenThenFallbackAndPermanentNeverCounts() {
    RecordingMailSender primary = new RecordingMailSender("sendgrid");
    RecordingMailSender fallback = new RecordingMailSender("postmark");
    SenderCircuit small = new SenderCircuit(clock, 2, Duration.ofSeconds(30));
    EmailSenders senders = new EmailSenders(primary, Optional.of(fallback), small);

    senders.record(primary, SendResult.permanent("bad address"));
    senders.record(primary, SendResult.permanent("bad address"));
    senders.record(primary, SendResult.rateLimited(Optional.empty(), "429"));
    assertThat(senders.choose()).isSameAs(primary);

    senders.record(primary, SendResult.retryable("503"));
    senders.record(fallback, SendResult.retryable("503"));
    assertThat(senders.choose()).as("fallback failures do not count").isSameAs(primary);
    senders.record(primary, SendResult.retryable("503"));
    assertThat(senders.choose()).isSameAs(fallback);
    assertThat(senders.circuitOpen()).isTrue();
  }
}
