package dev.switchboard.platform.http;

import org.apache.catalina.Valve;
import org.apache.catalina.valves.RemoteIpValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Keeps the {@link RemoteIpValve} that Spring Boot adds for {@code
 * server.forward-headers-strategy=native} from copying the client's address, host, protocol, server
 * name and port into six request attributes on every request. Those attributes exist for an access
 * log valve, which this server does not have; the request itself still carries the forwarded client
 * address and scheme (from trusted proxies only) while it is served, as before. Each attribute cost
 * a map write, a listener check and a removal when the request was recycled.
 */
class RemoteIpValveAttributes
    implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    for (Valve valve : factory.getEngineValves()) {
      if (valve instanceof RemoteIpValve remoteIp) {
        remoteIp.setRequestAttributesEnabled(false);
      }
    }
  }

  /** After Spring Boot's customizer (order 0), which adds the valve. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
