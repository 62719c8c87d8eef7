package dev.switchboard.platform.http;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read strictly: a number or boolean is not silently turned into a string
 * ({@code "filename": true} was accepted as {@code "true"}), and a key given twice is refused
 * instead of the last one winning. Only the HTTP body reader is strict; the shared mapper that
 * reads provider payloads and job arguments stays as it is.
 */
@Configuration
class StrictRequestBodies implements WebMvcConfigurer {

  private final JsonMapper json;

  StrictRequestBodies(JsonMapper json) {
    this.json = json;
  }

  static JsonMapper strict(JsonMapper base) {
    return base.rebuild()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .withCoercionConfig(
            LogicalType.Textual,
            c ->
                c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .build();
  }

  @Override
  public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
    JsonMapper strict = strict(json);
    for (int i = 0; i < converters.size(); i++) {
      if (converters.get(i) instanceof JacksonJsonHttpMessageConverter) {
        converters.set(i, new JacksonJsonHttpMessageConverter(strict));
      }
    }
  }
}
