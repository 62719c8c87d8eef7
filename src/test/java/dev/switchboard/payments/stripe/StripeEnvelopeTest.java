package dev.switchboard.payments.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.payments.ReceivedEvent;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one-pass envelope reader against the tree parse it stands in for: wherever it decides, it
 * gives the event the tree gives; everything else it leaves to the tree.
 */
class StripeEnvelopeTest {

  static final String BENCH_EVENT =
      "{\"id\":\"evt_bench_1\",\"object\":\"event\",\"api_version\":\"2025-09-30.clover\","
          + "\"created\":1777636790,\"livemode\":false,\"type\":\"customer.updated\",\"data\":"
          + "{\"object\":{\"id\":\"cus_bench\",\"object\":\"customer\",\"email\":\"b@example.com\"}}}";
  static final String INVOICE =
      "{\n  \"id\": \"evt_1Q\",\n  \"object\": \"event\",\n  \"created\": 1777636790,\n"
          + "  \"type\": \"invoice.paid\",\n  \"request\": {\"id\": null, \"idempotency_key\": null},\n"
          + "  \"data\": {\"object\": {\"id\": \"in_1\", \"amount_paid\": 1900, \"lines\": {\"data\": "
          + "[{\"amount\": 1900, \"metadata\": {}}]}, \"customer\": \"cus_9\", \"paid\": true},\n"
          + "  \"previous_attributes\": {\"paid\": false}}, \"note\": \"caf\u00e9 \\u00e9 \\\"q\\\"\"}";
  static final String EXPANDED =
      "{\"id\":\"evt_2\",\"type\":\"customer.subscription.created\",\"created\":1,\"data\":{\"object\":"
          + "{\"customer\":{\"object\":\"customer\",\"id\":\"cus_8\",\"email\":\"x@example.com\"}}}}";

  final JsonMapper json = JsonMapper.builder().build();
  final StripeEnvelope envelope = new StripeEnvelope(json);
  final StripeWebhookVerifier tree =
      new StripeWebhookVerifier(List.of(Secret.of("whsec_x")), Clock.systemUTC(), json);

  @Test
  void readWhenUsualEventsThenSameEventAsTheTreeWithoutIt() {
    for (String body : List.of(BENCH_EVENT, INVOICE, EXPANDED)) {
      Optional<ReceivedEvent> read = envelope.read(bytes(body));

      assertThat(read).as(body).isPresent();
      assertThat(read).contains(tree.parse(bytes(body)));
    }
    assertThat(envelope.read(bytes(INVOICE)).orElseThrow().customerId()).contains("cus_9");
    assertThat(envelope.read(bytes(EXPANDED)).orElseThrow().customerId()).contains("cus_8");
    assertThat(envelope.read(bytes(BENCH_EVENT)).orElseThrow().customerId()).isEmpty();
  }

  @Test
  void readWhenEdgeCasesThenTheTreesEventOrLeftToIt() {
    List<String> bodies =
        List.of(
            "{\"id\":5,\"id\":\"evt_a\",\"type\":\"t\",\"created\":1}",
            "{\"id\":\"evt_a\",\"id\":\"evt_b\",\"type\":\"t\",\"created\":1}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1,\"created\":2}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1.0}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":99999999999999999999999}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":\"1\"}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1} {}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1,\"x\":1e999}",
            "{\"id\":\"  \",\"type\":\"t\",\"created\":1}",
            "{\"id\":\"" + "e".repeat(256) + "\",\"type\":\"t\",\"created\":1}",
            "{\"id\":\"evt_a\",\"type\":\"" + "t".repeat(121) + "\",\"created\":1}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1,\"data\":[{\"customer\":\"c\"}]}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":\"c\"}}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{\"customer\":\" \"}}}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{\"customer\":{\"id\":{}}}}}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{\"customer\":7}}}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{\"customer\":\"c\","
                + "\"customer\":\"d\"}}}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1,\"data\":{},\"data\":{\"object\":{}}}",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1,\"data\":{\"x\":{\"customer\":\"c\"},"
                + "\"object\":{\"y\":[1,{\"customer\":\"z\"}],\"customer\":\"c\"}}}",
            "[{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1}]",
            "\"evt_a\"",
            "",
            "null",
            "{\"id\":\"evt_a\",\"type\":\"t\",\"created\":1");
    for (String body : bodies) {
      assertSameAsTree(bytes(body));
    }
  }

  @Test
  void readWhenRandomMutationsOfEventsThenNeverAnEventTheTreeWouldNotGive() {
    Random random = new Random(20261206);
    List<byte[]> bases = List.of(bytes(BENCH_EVENT), bytes(INVOICE), bytes(EXPANDED));
    byte[] alphabet = bytes("{}[]\":,.-+eE0123456789 \\u tnrfalsecus_id\u00e9");
    int decided = 0;
    for (int i = 0; i < 10_000; i++) {
      List<Byte> body = new ArrayList<>();
      for (byte b : bases.get(random.nextInt(bases.size()))) {
        body.add(b);
      }
      for (int m = 1 + random.nextInt(3); m > 0 && !body.isEmpty(); m--) {
        int at = random.nextInt(body.size());
        switch (random.nextInt(4)) {
          case 0 -> body.remove(at);
          case 1 -> body.add(at, alphabet[random.nextInt(alphabet.length)]);
          case 2 -> body.add(at, (byte) (0x80 | random.nextInt(0x80)));
          default -> {
            int to = Math.min(body.size(), at + 1 + random.nextInt(40));
            body.addAll(to, new ArrayList<>(body.subList(at, to)));
          }
        }
      }
      byte[] mutated = new byte[body.size()];
      for (int b = 0; b < mutated.length; b++) {
        mutated[b] = body.get(b);
      }
      if (assertSameAsTree(mutated)) {
        decided++;
      }
    }
    // Most mutations break the JSON; enough still parse for the comparison to mean something.
    assertThat(decided).isGreaterThan(200);
  }

  @Test
  void readWhenTreeRefusesRepeatedKeysThenAlwaysLeftToIt() {
    JsonMapper strict =
        JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

    assertThat(new StripeEnvelope(strict).read(bytes(BENCH_EVENT))).isEmpty();
  }

  /** True when the envelope reader decided (then with the tree's event). */
  private boolean assertSameAsTree(byte[] body) {
    Optional<ReceivedEvent> read = envelope.read(body);
    String shown = new String(body, StandardCharsets.ISO_8859_1);
    if (read.isEmpty()) {
      return false;
    }
    ReceivedEvent byTree = null;
    try {
      byTree = tree.parse(body);
    } catch (ApiException e) {
      assertThat(e.code()).as("the tree refuses what the reader took: " + shown).isNull();
    }
    assertThat(read).as(shown).contains(byTree);
    return true;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
