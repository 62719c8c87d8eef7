package dev.switchboard.auth;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;

/** Collects {@link AccountCreated} events published inside the application under test. */
@TestConfiguration(proxyBeanMethods = false)
class RecordedAccountEvents {

  final List<AccountCreated> created = new CopyOnWriteArrayList<>();

  @EventListener
  void on(AccountCreated event) {
    created.add(event);
  }
}
