package dev.switchboard.platform.http;

import dev.switchboard.platform.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;

/**
 * A request from an origin the CORS rules do not allow is refused with 403 {@code
 * cors_origin_not_allowed} in the error shape; Spring's own processor answers the plain text
 * "Invalid CORS request".
 */
class JsonCorsRejection implements BeanPostProcessor {

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof AbstractHandlerMapping mapping) {
      mapping.setCorsProcessor(new Processor());
    }
    return bean;
  }

  static final class Processor extends DefaultCorsProcessor {
    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
      String requestId =
          response instanceof ServletServerHttpResponse servlet
              ? servlet.getServletResponse().getHeader(RequestIds.HEADER)
              : null;
      response.setStatusCode(HttpStatus.FORBIDDEN);
      response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
      ErrorBody body =
          new ErrorBody(
              403,
              "cors_origin_not_allowed",
              "This origin may not call this URL; add it to SWITCHBOARD_REDIRECT_ALLOWLIST.",
              requestId == null ? "unknown" : requestId,
              null);
      response
          .getBody()
          .write(Json.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
      response.flush();
    }
  }
}
