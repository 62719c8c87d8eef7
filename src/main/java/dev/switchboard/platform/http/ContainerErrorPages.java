package dev.switchboard.platform.http;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Puts {@link JsonErrorReportValve} where Tomcat (and Spring Boot's customizer, which runs first)
 * put the HTML {@link ErrorReportValve}, so no answer of this server is an HTML page.
 */
class ContainerErrorPages
    implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(
        context -> {
          if (context.getParent() instanceof StandardHost host) {
            // Without this the host adds its default HTML valve when it starts.
            host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
          }
          Pipeline pipeline = context.getParent().getPipeline();
          for (Valve valve : pipeline.getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
              pipeline.removeValve(valve);
            }
          }
          pipeline.addValve(new JsonErrorReportValve());
        });
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
