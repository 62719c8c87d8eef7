package dev.switchboard.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.config.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpUrlTest {

  @Test
  void parseWhenSmtpWithoutPortThenSubmissionPortWithStartTls() {
    SmtpUrl url = SmtpUrl.parse(Secret.of("smtp://mailer:s3cret-pass@mail.example.com"));

    assertThat(url.implicitTls()).isFalse();
    assertThat(url.protocol()).isEqualTo("smtp");
    assertThat(url.host()).isEqualTo("mail.example.com");
    assertThat(url.port()).isEqualTo(587);
    assertThat(url.user()).contains("mailer");
    assertThat(url.password().orElseThrow().reveal()).isEqualTo("s3cret-pass");
  }

  @Test
  void parseWhenSmtpsWithoutPortThenImplicitTlsOn465() {
    SmtpUrl url = SmtpUrl.parse(Secret.of("SMTPS://u:p@smtp.example.com"));

    assertThat(url.implicitTls()).isTrue();
    assertThat(url.protocol()).isEqualTo("smtps");
    assertThat(url.port()).isEqualTo(465);
  }

  @Test
  void parseWhenPortGivenThenKept() {
    assertThat(SmtpUrl.parse(Secret.of("smtp://relay.internal:25")).port()).isEqualTo(25);
  }

  @Test
  void parseWhenCredentialsPercentEncodedThenDecodedAndPlusKept() {
    SmtpUrl url =
        SmtpUrl.parse(Secret.of("smtp://apikey%40example.com:p%3Aa%40ss+w%2Frd@host:2525"));

    assertThat(url.user()).contains("apikey@example.com");
    assertThat(url.password().orElseThrow().reveal()).isEqualTo("p:a@ss+w/rd");
  }

  @Test
  void parseWhenNoUserInfoThenNoAuthentication() {
    SmtpUrl url = SmtpUrl.parse(Secret.of("smtp://localhost:25"));

    assertThat(url.user()).isEmpty();
    assertThat(url.password()).isEmpty();
  }

  @Test
  void parseWhenIpv6HostThenBracketsDroppedForConnectAndKeptForDisplay() {
    SmtpUrl url = SmtpUrl.parse(Secret.of("smtp://[::1]:2525"));

    assertThat(url.host()).isEqualTo("::1");
    assertThat(url.display()).isEqualTo("smtp://[::1]:2525");
  }

  @Test
  void toStringWhenPrintedThenHasNoCredentials() {
    SmtpUrl url = SmtpUrl.parse(Secret.of("smtp://mailer:s3cret-pass@mail.example.com:587"));

    assertThat(url.toString())
        .isEqualTo("smtp://mail.example.com:587")
        .doesNotContain("s3cret-pass", "mailer");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://u:s3cret-pass@host",
        "smtp:///nohost",
        "not a url s3cret-pass",
        "smtp://u:s3cret%zz@host"
      })
  void parseWhenMalformedThenErrorWithoutTheUrl(String value) {
    assertThatThrownBy(() -> SmtpUrl.parse(Secret.of(value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SMTP_URL")
        .message()
        .doesNotContain("s3cret");
  }
}
