package dev.switchboard.platform.crypto;

/**
 * Lets tests outside this package switch between the native provider and the JDK's within one JVM.
 */
public final class NativeCryptoTesting {

  private NativeCryptoTesting() {}

  /** Decides again with this switch value ({@code "off"} or null for the default). */
  public static NativeCrypto.Status decide(String switchValue) {
    NativeCrypto.resetForTests();
    return NativeCrypto.install(switchValue);
  }
}
