package dev.switchboard.platform.outbound;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link OutboundHttp} of the process, with every {@link OutboundCallListener} bean
 * attached.
 */
@Configuration(proxyBeanMethods = false)
public class OutboundConfiguration {

  @Bean
  OutboundHttp outboundHttp(Clock clock, ObjectProvider<OutboundCallListener> listeners) {
    return new OutboundHttp(
        RetryPolicy.defaults(),
        listeners.orderedStream().toList(),
        clock,
        Sleeper.THREAD,
        Backoff.SHARED_RANDOM);
  }
}
