package dev.switchboard.payments.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.switchboard.payments.PaymentStore;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.ResponseEntity;

/**
 * The buttons' bookkeeping around delivery; delivery itself is covered end to end by {@code
 * DevCheckoutBrowserIT}.
 */
class DevCheckoutRoutesTest {

  static final DevCheckoutSessions.DevSession OPEN =
      new DevCheckoutSessions.DevSession(
          "cs_dev_1",
          "usr_1",
          "cus_dev_usr1",
          "pro",
          "price_pro",
          "subscription",
          "https://app.example.com/ok",
          "https://app.example.com/no",
          "open");

  final DevCheckoutSessions sessions = mock(DevCheckoutSessions.class);
  final DevStripeEvents events = mock(DevStripeEvents.class);
  final DevCheckoutRoutes routes;

  DevCheckoutRoutesTest() {
    StaticListableBeanFactory beans =
        new StaticListableBeanFactory(Map.of("sessions", sessions, "events", events));
    routes =
        new DevCheckoutRoutes(
            beans.getBeanProvider(DevCheckoutSessions.class),
            beans.getBeanProvider(DevStripeEvents.class),
            mock(PaymentStore.class),
            null);
    when(sessions.find("cs_dev_1")).thenReturn(Optional.of(OPEN));
  }

  @Test
  void payWhenDeliveryFailsThenSessionOpenAgainSoTheRetryIsNot409() {
    when(sessions.close("cs_dev_1", "paid")).thenReturn(true);
    doThrow(new IllegalStateException("the webhook answered 503")).when(events).paid(OPEN);

    assertThatThrownBy(() -> routes.pay("cs_dev_1")).hasMessageContaining("503");

    verify(sessions).reopen("cs_dev_1", "paid");
  }

  @Test
  void declineThenNothingSentNothingClosedAndThePageSaysDeclined() {
    ResponseEntity<Void> answer = routes.decline("cs_dev_1");

    assertThat(answer.getStatusCode().value()).isEqualTo(303);
    assertThat(answer.getHeaders().getLocation())
        .hasToString("/payments/dev/checkout/cs_dev_1?declined=true");
    verifyNoInteractions(events);
    verify(sessions, never()).close(anyString(), anyString());
  }
}
