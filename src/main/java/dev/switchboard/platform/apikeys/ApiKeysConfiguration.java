package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ErrorResponses;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Wires API keys: store, service, scope enforcement and the development key (the filter is a
 * component).
 */
@Configuration(proxyBeanMethods = false)
public class ApiKeysConfiguration implements WebMvcConfigurer {

  @Bean
  ApiKeyStore apiKeyStore(JdbcClient jdbc) {
    return new JdbcApiKeyStore(jdbc);
  }

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

  @Bean
  ApiKeyAuthentication apiKeyAuthentication(ApiKeyService keys, ErrorResponses errors) {
    return new ApiKeyAuthentication(keys, errors);
  }

  @Bean
  InvalidKeyRejection invalidKeyRejection(ErrorResponses errors) {
    return new InvalidKeyRejection(errors);
  }
}
