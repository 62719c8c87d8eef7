package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.config.PlatformConfiguration;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.FailFastDataSource;
import dev.switchboard.testing.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The store's SQL on both databases, migrated by the real migrations. */
class JdbcApiKeyStoreIT {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void storeWhenUsedThenRoundTripsAndConditionsHold(String database) throws Exception {
    Map<String, String> env =
        database.equals("h2")
            ? Map.of(
                "SWITCHBOARD_DATA_DIR",
                Path.of("target", "it-data", "store-" + UUID.randomUUID()).toString())
            : Map.of("DATABASE_URL", PostgresTestDatabase.freshUrl());
    try (FailFastDataSource dataSource =
        (FailFastDataSource)
            new PlatformConfiguration().dataSource(SwitchboardConfig.load(env::get))) {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .load()
          .migrate();
      JdbcApiKeyStore store = new JdbcApiKeyStore(JdbcClient.create(dataSource));

      ApiKey key =
          new ApiKey(
              "key_a",
              "mailer ✉",
              "sk_AbCd",
              List.of("email:send", "files:write"),
              T0,
              Optional.empty(),
              Optional.empty());
      store.insert(key, ApiKeyHash.of("sk_secret_a"));
      assertThat(store.findByHash(ApiKeyHash.of("sk_secret_a")))
          .contains(new ApiKeyStore.Stored(key, ApiKeyHash.of("sk_secret_a")));
      assertThat(store.findByHash(ApiKeyHash.of("sk_other"))).isEmpty();
      assertThat(store.findById("key_a")).contains(key);

      ApiKey same =
          new ApiKey(
              "key_b", "dup", "sk_AbCd", List.of("admin"), T0, Optional.empty(), Optional.empty());
      assertThatThrownBy(() -> store.insert(same, ApiKeyHash.of("sk_secret_a")))
          .isInstanceOf(DuplicateKeyException.class);

      assertThat(store.touch("key_a", T0.plusSeconds(5), T0.minusSeconds(55))).isTrue();
      assertThat(store.touch("key_a", T0.plusSeconds(30), T0.minusSeconds(30)))
          .as("written less than a minute ago")
          .isFalse();
      assertThat(store.touch("key_a", T0.plusSeconds(70), T0.plusSeconds(10))).isTrue();
      assertThat(store.findById("key_a").orElseThrow().lastUsedAt()).contains(T0.plusSeconds(70));

      assertThat(store.revoke("key_a", T0.plusSeconds(100))).isTrue();
      assertThat(store.revoke("key_a", T0.plusSeconds(200))).isTrue();
      assertThat(store.revoke("key_missing", T0)).isFalse();
      assertThat(store.list())
          .singleElement()
          .satisfies(k -> assertThat(k.revokedAt()).contains(T0.plusSeconds(100)));
    }
  }
}
