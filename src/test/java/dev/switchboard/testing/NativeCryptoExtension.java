package dev.switchboard.testing;

import dev.switchboard.platform.crypto.NativeCrypto;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registers the native provider before every test class, as the application does at startup, so
 * unit tests that never start Spring run on the same cryptography as production ({@code
 * -Dswitchboard.nativeCrypto=off} runs them all on the JDK's). Registered through {@code
 * META-INF/services} with extension autodetection.
 */
public final class NativeCryptoExtension implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    NativeCrypto.install();
  }
}
