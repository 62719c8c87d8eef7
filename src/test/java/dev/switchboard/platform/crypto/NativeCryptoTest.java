package dev.switchboard.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class NativeCryptoTest {

  static final String ACCP = "AmazonCorrettoCryptoProvider";

  @AfterEach
  void restore() {
    NativeCrypto.resetForTests();
    NativeCrypto.install(null);
  }

  @Test
  void installWhenNativeLoadsThenEveryAlgorithmWeUseResolvesToIt() throws Exception {
    Assumptions.assumeTrue(
        System.getProperty("os.name").equals("Linux"), "native build is Linux only");
    Assumptions.assumeFalse(
        "off".equals(System.getProperty(NativeCrypto.PROPERTY)), "run with the fallback forced");
    NativeCrypto.resetForTests();

    NativeCrypto.Status status = NativeCrypto.install(null);

    assertThat(status.nativeInUse()).isTrue();
    assertThat(status.provider()).startsWith(ACCP).contains("AWS-LC");
    assertThat(status.describe()).startsWith("native cryptography: ");
    assertThat(Security.getProviders()[0].getName()).isEqualTo(ACCP);
    assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isEqualTo(ACCP);
    assertThat(Mac.getInstance("HmacSHA256").getProvider().getName()).isEqualTo(ACCP);
    assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo(ACCP);
    assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo(ACCP);
    assertThat(KeyFactory.getInstance("EC").getProvider().getName()).isEqualTo(ACCP);
    assertThat(new SecureRandom().getProvider().getName()).isEqualTo(ACCP);
    assertThat(NativeCrypto.preferred()).isPresent();
  }

  @Test
  void installWhenSwitchedOffThenJdkProvidersAndTheReasonIsSaid() throws Exception {
    NativeCrypto.resetForTests();

    NativeCrypto.Status status = NativeCrypto.install("off");

    assertThat(status.nativeInUse()).isFalse();
    assertThat(status.describe())
        .startsWith("JDK cryptography: ")
        .contains("SWITCHBOARD_NATIVE_CRYPTO=off");
    assertThat(Security.getProvider(ACCP)).isNull();
    assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isEqualTo("SunEC");
    assertThat(Mac.getInstance("HmacSHA256").getProvider().getName()).isEqualTo("SunJCE");
    assertThat(NativeCrypto.preferred()).isEmpty();
  }

  @Test
  void installWhenCalledTwiceThenTheFirstDecisionStands() {
    NativeCrypto.resetForTests();
    NativeCrypto.Status first = NativeCrypto.install("off");

    assertThat(NativeCrypto.install(null)).isSameAs(first);
    assertThat(NativeCrypto.status()).isSameAs(first);
  }
}
