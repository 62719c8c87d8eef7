package dev.switchboard.platform.http;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Asks the application's routes before the actuator's. The actuator's handler mapping came first
 * (order -100) and every API request, {@code GET /api/ping} included, missed in it: no direct path,
 * a match attempt against each endpoint's conditions (the {@code Accept} header parsed for each),
 * then a second pass to rule out a 405, before the application's mapping found the route by its
 * path. No application route matches an {@code /actuator/**} path, so which mapping answers a
 * request does not change, only the order they are asked in: the few probe and scrape requests now
 * miss in the application's mapping first.
 */
class ApplicationMappingsFirst implements BeanPostProcessor {

  /** Before the actuator's endpoint mapping (-100). */
  static final int ORDER = -200;

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof RequestMappingHandlerMapping mapping
        && beanName.equals("requestMappingHandlerMapping")) {
      mapping.setOrder(ORDER);
    }
    return bean;
  }
}
