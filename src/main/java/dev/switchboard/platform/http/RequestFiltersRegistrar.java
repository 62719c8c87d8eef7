package dev.switchboard.platform.http;

import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts every {@link OncePerRequestFilter} of the application into one {@link RequestFilters}
 * instead of registering each with the container: the filter beans ({@code RequestIds}, the
 * authentication and rate-limit filters, Spring's character encoding filter, ...) and the filters
 * of registration beans that only name {@code /*} or {@code /prefix/*} paths and leave the dispatch
 * types to the filter (analytics CORS, durable answers). Each keeps the order Spring Boot gave it
 * (its {@code @Order} or its registration's order; ties as Spring Boot broke them). A filter
 * registered differently (named servlets, its own dispatch types, init parameters) stays registered
 * on its own.
 *
 * <p>Spring Boot registers every {@code Filter} bean unless a registration bean holds it, so each
 * filter bean gets a disabled registration here; the enabled registration beans of members are
 * disabled when they are made. Both happen before the container is configured.
 */
public final class RequestFiltersRegistrar implements BeanFactoryPostProcessor, BeanPostProcessor {

  static final String NAME = "requestFilters";

  private static final String DISABLED_SUFFIX = ".inRequestFilters";

  private final RequestFilters filters = new RequestFilters();
  private List<String> definitionOrder = List.of();
  private List<String> filterBeans = List.of();

  RequestFilters filters() {
    return filters;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory)
      throws BeansException {
    definitionOrder = List.of(beanFactory.getBeanDefinitionNames());
    filterBeans = List.of(beanFactory.getBeanNamesForType(OncePerRequestFilter.class, true, false));
    BeanDefinitionRegistry registry = (BeanDefinitionRegistry) beanFactory;
    for (String name : filterBeans) {
      // Already there when the definitions were written at build time (Spring AOT), which runs
      // this once more at start.
      if (!registry.containsBeanDefinition(name + DISABLED_SUFFIX)) {
        registry.registerBeanDefinition(
            name + DISABLED_SUFFIX,
            BeanDefinitionBuilder.genericBeanDefinition(InRequestFilters.class)
                .addConstructorArgReference(name)
                .getBeanDefinition());
      }
    }
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    if (bean instanceof OncePerRequestFilter filter && filterBeans.contains(beanName)) {
      filters.add(
          new RequestFilters.Member(
              filter,
              beanName,
              order(filter),
              false,
              definitionOrder.indexOf(beanName),
              List.of()));
    } else if (bean instanceof FilterRegistrationBean<?> registration
        && !(registration instanceof InRequestFilters)
        && registration.getFilter() instanceof OncePerRequestFilter filter) {
      filters.heldByRegistration(filter);
      if (!composable(registration)) {
        return bean;
      }
      registration.setEnabled(false);
      filters.add(
          new RequestFilters.Member(
              filter,
              registration.getFilterName(),
              registration.getOrder(),
              true,
              definitionOrder.indexOf(beanName),
              prefixes(registration)));
    }
    return bean;
  }

  /**
   * Keeps Spring Boot from registering a filter bean that runs in {@link RequestFilters}. A plain
   * definition with the filter bean as its constructor argument, not an instance supplier, so that
   * Spring AOT can write it out at build time.
   */
  static final class InRequestFilters extends FilterRegistrationBean<OncePerRequestFilter> {
    InRequestFilters(OncePerRequestFilter filter) {
      super(filter);
      setEnabled(false);
    }
  }

  /** The order Spring Boot gives a filter bean: its {@code Ordered} value or {@code @Order}. */
  private static int order(Object filter) {
    return filter instanceof Ordered ordered
        ? ordered.getOrder()
        : OrderUtils.getOrder(filter.getClass(), Ordered.LOWEST_PRECEDENCE);
  }

  private static boolean composable(FilterRegistrationBean<?> registration) {
    return registration.isEnabled()
        && registration.isAsyncSupported()
        && !registration.isMatchAfter()
        && registration.getInitParameters().isEmpty()
        && registration.getServletNames().isEmpty()
        && registration.getServletRegistrationBeans().isEmpty()
        && registration.determineDispatcherTypes().equals(EnumSet.allOf(DispatcherType.class))
        && registration.getUrlPatterns().stream().allMatch(p -> p.equals("/*") || prefix(p));
  }

  private static boolean prefix(String pattern) {
    return pattern.length() > 2
        && pattern.startsWith("/")
        && pattern.endsWith("/*")
        && pattern.indexOf('*') == pattern.length() - 1;
  }

  /** No prefixes for a filter of every path. */
  private static List<String> prefixes(FilterRegistrationBean<?> registration) {
    List<String> prefixes = new ArrayList<>();
    for (String pattern : registration.getUrlPatterns()) {
      if (pattern.equals("/*")) {
        return List.of();
      }
      prefixes.add(pattern.substring(0, pattern.length() - 2));
    }
    return List.copyOf(prefixes);
  }
}
