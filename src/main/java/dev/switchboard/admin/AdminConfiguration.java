package dev.switchboard.admin;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.ratelimit.RateLimitRule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The dashboard's own limits. */
@Import({AdminPages.class, AdminSession.class, JdbcAdminSessionStore.class, SameOriginPosts.class})
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

  /** Sign-in attempts per address: enough for people mistyping, far too few for guessing a key. */
  @Bean
  RateLimitRule adminSignInLimit() {
    return new RateLimitRule("admin.login", "/admin/login", Rate.parse("20/min"));
  }
}
