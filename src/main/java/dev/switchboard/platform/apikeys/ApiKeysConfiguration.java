package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Wires API keys: store, service, authentication filter, scope enforcement and the development key.
 */
@Import({ApiKeyAuthentication.class, InvalidKeyRejection.class, JdbcApiKeyStore.class})
@Configuration(proxyBeanMethods = false)
public class ApiKeysConfiguration implements WebMvcConfigurer {

  @Bean
  ApiKeyService apiKeyService(ApiKeyStore store, Clock clock, SwitchboardConfig config) {
    return new ApiKeyService(
        store, new ApiKeyGenerator(new SecureRandom()), clock, config.core().adminApiKey());
  }

  @Bean
  DevApiKey devApiKey(ApiKeyService keys, SwitchboardConfig config) {
    CoreConfig core = config.core();
    return new DevApiKey(keys, core.mode(), core.dataDir(), core.adminApiKey().isPresent());
  }

  @Bean
  SetupToken setupToken(ApiKeyService keys, SwitchboardConfig config, Clock clock) {
    CoreConfig core = config.core();
    return new SetupToken(
        keys,
        core.mode(),
        core.adminApiKey().isPresent(),
        clock,
        new SecureRandom(),
        core.publicUrl().toString().replaceAll("/+$", ""));
  }

  @Bean
  RequiresScopeCheck requiresScopeCheck(Map<String, RequestMappingHandlerMapping> mappings) {
    return new RequiresScopeCheck(mappings);
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new ScopeInterceptor());
  }
}
