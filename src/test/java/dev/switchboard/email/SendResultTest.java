package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendResultTest {

  @Test
  void acceptedWhenTheAnswerCarriesAnIdThenItIsKept() {
    SendResult result = SendResult.accepted("msg_1", "accepted; no id");
    assertThat(result.kind()).isEqualTo(SendResult.Kind.ACCEPTED);
    assertThat(result.providerMessageId()).contains("msg_1");
    assertThat(result.detail()).isEqualTo("accepted");
  }

  @Test
  void acceptedWhenTheIdIsMissingOrBlankThenStillAcceptedWithTheNoteSayingSo() {
    for (String missing : new String[] {null, "", "  "}) {
      SendResult result = SendResult.accepted(missing, "accepted; Resend returned no id");
      assertThat(result.kind()).isEqualTo(SendResult.Kind.ACCEPTED);
      assertThat(result.providerMessageId()).isEqualTo(Optional.empty());
      assertThat(result.detail()).isEqualTo("accepted; Resend returned no id");
    }
  }
}
