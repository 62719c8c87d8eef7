package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.config.DeploymentMode;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.testing.ManualClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class SetupTokenTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final ApiKeyService keys =
      new ApiKeyService(
          new InMemoryApiKeyStore(),
          new ApiKeyGenerator(new SecureRandom()),
          clock,
          Optional.empty());

  private SetupToken setup(DeploymentMode mode, boolean adminKeyConfigured) {
    return new SetupToken(
        keys, mode, adminKeyConfigured, clock, new SecureRandom(), "https://api.example.com");
  }

  @Test
  void runWhenProductionWithoutAdminKeyThenTokenPrintedOnceAndCreatesOneWorkingAdminKeyOnce(
      CapturedOutput output) {
    SetupToken setup = setup(DeploymentMode.PRODUCTION, false);
    setup.run(null);
    java.util.regex.Matcher printed =
        java.util.regex.Pattern.compile("setup_[0-9a-f]{64}").matcher(output.getAll());
    assertThat(printed.find()).isTrue();
    String token = printed.group();
    assertThat(output.getAll()).contains("https://api.example.com/api/setup/admin-key");

    CreatedApiKey created = setup.redeem(token, "first admin");
    assertThat(keys.authenticate(created.secret().reveal()))
        .hasValueSatisfying(c -> assertThat(c.has("admin")).isTrue());
    assertThat(created.key().scopes()).containsExactly(Scopes.ADMIN);
    assertThatThrownBy(() -> setup.redeem(token, "second"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("setup_not_available"));
    assertThat(keys.list()).hasSize(1);
  }

  @Test
  void redeemWhenWrongTokenThenInvalidAndTheRightOneStillWorks() {
    SetupToken setup = setup(DeploymentMode.PRODUCTION, false);
    String token = setup.issue();
    assertThatThrownBy(() -> setup.redeem("setup_" + "0".repeat(64), "x"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThat(setup.redeem(token, "admin").key().name()).isEqualTo("admin");
  }

  @Test
  void redeemWhenNameRefusedThenTokenNotSpentAndAvailableUntilUsed() {
    SetupToken setup = setup(DeploymentMode.PRODUCTION, false);
    assertThat(setup.available()).isFalse();
    String token = setup.issue();
    assertThat(setup.available()).isTrue();
    assertThatThrownBy(() -> setup.redeem(token, "bad\u0007name"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThat(keys.list()).isEmpty();
    assertThat(setup.available()).isTrue();
    setup.redeem(token, "admin");
    assertThat(setup.available()).isFalse();
  }

  @Test
  void availableWhenExpiredOrAdminKeyCreatedElsewhereThenFalse() {
    SetupToken setup = setup(DeploymentMode.PRODUCTION, false);
    setup.issue();
    keys.create("ops", List.of(Scopes.ADMIN));
    assertThat(setup.available()).isFalse();
    SetupToken other = setup(DeploymentMode.PRODUCTION, false);
    keys.list().forEach(k -> keys.revoke(k.id()));
    other.issue();
    clock.advance(SetupToken.TTL);
    assertThat(other.available()).isFalse();
  }

  @Test
  void redeemWhenExpiredThenNotAvailableAndNoKey() {
    SetupToken setup = setup(DeploymentMode.PRODUCTION, false);
    String token = setup.issue();
    clock.advance(SetupToken.TTL.plus(Duration.ofSeconds(1)));
    assertThatThrownBy(() -> setup.redeem(token, "x"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("setup_not_available"));
    assertThat(keys.list()).isEmpty();
  }

  @Test
  void runWhenDevelopmentOrAdminKeyConfiguredOrAdminKeyExistsThenNoToken(CapturedOutput output) {
    setup(DeploymentMode.DEVELOPMENT, false).run(null);
    setup(DeploymentMode.PRODUCTION, true).run(null);
    keys.create("ops", List.of(Scopes.ADMIN));
    setup(DeploymentMode.PRODUCTION, false).run(null);
    assertThat(output.getAll()).doesNotContain("setup_");
  }
}
