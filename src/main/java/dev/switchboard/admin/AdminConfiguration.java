package dev.switchboard.admin;

import dev.switchboard.auth.Accounts;
import dev.switchboard.auth.AdminRoles;
import dev.switchboard.auth.OAuthProviders;
import dev.switchboard.platform.apikeys.ApiKeyService;
import dev.switchboard.platform.apikeys.SetupToken;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ErrorResponses;
import dev.switchboard.platform.ratelimit.RateLimitRule;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The dashboard's own limits. */
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

  /** Sign-in attempts per address: enough for people mistyping, far too few for guessing a key. */
  @Bean
  RateLimitRule adminSignInLimit() {
    return new RateLimitRule("admin.login", "/admin/login", Rate.parse("20/min"));
  }

  @Bean
  AdminPages adminPages(
      AdminSession session, SwitchboardConfig config, OAuthProviders providers, SetupToken setup) {
    return new AdminPages(session, config, providers, setup);
  }

  @Bean
  AdminSession adminSession(
      ApiKeyService keys,
      Accounts accounts,
      AdminRoles adminRoles,
      AdminSessionStore store,
      Clock clock,
      SwitchboardConfig config) {
    return new AdminSession(keys, accounts, adminRoles, store, clock, config);
  }

  @Bean
  JdbcAdminSessionStore jdbcAdminSessionStore(JdbcClient jdbc) {
    return new JdbcAdminSessionStore(jdbc);
  }

  @Bean
  SameOriginPosts sameOriginPosts(ErrorResponses errors) {
    return new SameOriginPosts(errors);
  }
}
