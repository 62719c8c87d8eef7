package dev.switchboard.platform.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class WebhookHeadersTest {

  @Test
  void ofWhenHeadersInAnyCaseAndRepeatedThenWhatACopyOfEveryHeaderSays() {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/webhooks/stripe");
    request.addHeader("Stripe-Signature", "t=1,v1=ab");
    request.addHeader("SVIX-ID", "first");
    request.addHeader("svix-id", "second");
    request.addHeader("PayPal-Transmission-Id", "tx");
    request.addHeader("1", "one");
    Map<String, String> copy = WebhookHeaders.copy(request);

    Map<String, String> view = WebhookHeaders.of(request);

    for (String key :
        List.of(
            "stripe-signature",
            "Stripe-Signature",
            "svix-id",
            "SVIX-ID",
            "paypal-transmission-id",
            "1",
            "\u0131", // not lower-case ASCII: answered from the copy
            "missing",
            "")) {
      assertThat(view.get(key)).as(key).isEqualTo(copy.get(key));
      assertThat(view.containsKey(key)).as(key).isEqualTo(copy.containsKey(key));
    }
    assertThat(view.get("svix-id")).isEqualTo("first");
    assertThat(view.get("Stripe-Signature")).isNull();
    assertThat(view.get(42)).isNull();
    assertThat(view).isEqualTo(copy).hasSameSizeAs(copy);
  }
}
