package dev.switchboard.platform.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import java.util.Optional;

/**
 * Native cryptography for the whole JVM: the Amazon Corretto Crypto Provider (ACCP, backed by
 * AWS-LC) registered as the most preferred JCA provider, so every {@code Signature}, {@code Mac},
 * {@code MessageDigest}, {@code Cipher}, {@code KeyFactory} and {@code new SecureRandom()} lookup
 * without an explicit provider lands on it. Where its native library does not load (another OS or
 * CPU, a missing glibc), nothing is registered and the JDK's providers serve the same algorithms;
 * {@link #status()} says which is in use (the startup log line, the map's platform box).
 *
 * <p>Switched off with {@code SWITCHBOARD_NATIVE_CRYPTO=off} (or the system property {@code
 * switchboard.nativeCrypto=off}), which keeps the fallback path exercised by a test.
 */
public final class NativeCrypto {

  /** Environment variable that turns the native provider off ({@code off}/{@code false}). */
  public static final String ENV = "SWITCHBOARD_NATIVE_CRYPTO";

  /** System property with the same meaning, read first (tests). */
  public static final String PROPERTY = "switchboard.nativeCrypto";

  /**
   * Which provider serves the process's cryptography.
   *
   * @param nativeInUse whether ACCP is registered first
   * @param provider what is in use, e.g. {@code AmazonCorrettoCryptoProvider 2.5 (AWS-LC 1.47.0)}
   *     or {@code JDK (SUN, SunEC, SunJCE)}
   * @param reason why the JDK's providers are in use; empty when native
   */
  public record Status(boolean nativeInUse, String provider, String reason) {

    /** One line for the log and the map. */
    public String describe() {
      return nativeInUse
          ? "native cryptography: " + provider
          : "JDK cryptography: " + provider + " (" + reason + ")";
    }
  }

  private static volatile Status status;

  private NativeCrypto() {}

  /**
   * Registers ACCP first unless switched off or unable to load; idempotent and cheap after the
   * first call.
   *
   * @return what is in use
   */
  public static Status install() {
    Status s = status;
    if (s != null) {
      return s;
    }
    return install(System.getProperty(PROPERTY, System.getenv(ENV)));
  }

  /**
   * Decides once with this switch value ({@code off} keeps the JDK's providers), unless a decision
   * was made already.
   *
   * @param switchValue the value of {@link #ENV}, or null when unset
   * @return what is in use
   */
  public static synchronized Status install(String switchValue) {
    if (status == null) {
      status = doInstall(System.getProperty(PROPERTY, switchValue));
    }
    return status;
  }

  /** What is in use; installs first if nothing did yet. */
  public static Status status() {
    return install();
  }

  /**
   * The native provider when it is in use, for libraries that take an explicit provider (Nimbus's
   * JCA context), so they cannot pick a JDK implementation by their own lookup.
   */
  public static Optional<Provider> preferred() {
    return install().nativeInUse()
        ? Optional.of(AmazonCorrettoCryptoProvider.INSTANCE)
        : Optional.empty();
  }

  private static Status doInstall(String switchValue) {
    if (switchValue != null && isOff(switchValue)) {
      // Also undoes an earlier registration in this JVM (tests switch back and forth).
      Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
      String jdk = "JDK (" + Security.getProviders()[0].getName() + ", SunEC, SunJCE)";
      return new Status(false, jdk, ENV + "=" + switchValue.trim());
    }
    String jdk = "JDK (SUN, SunEC, SunJCE)";
    try {
      AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
      Throwable error = accp.getLoadingError();
      if (error != null) {
        return didNotLoad(jdk, error);
      }
      accp.assertHealthy();
      if (Security.getProviders()[0] != accp) {
        Security.removeProvider(accp.getName());
        Security.insertProviderAt(accp, 1);
      }
      return new Status(
          true,
          accp.getName()
              + " "
              + accp.getVersionStr()
              + " (AWS-LC "
              + accp.getAwsLcVersionStr()
              + ")",
          "");
    } catch (LinkageError | RuntimeException e) {
      // UnsatisfiedLinkError and friends on platforms without a native build: the JDK's providers
      // still work.
      return didNotLoad(jdk, e);
    }
  }

  private static Status didNotLoad(String jdk, Throwable error) {
    return new Status(
        false,
        jdk,
        "native provider did not load on "
            + System.getProperty("os.name")
            + "/"
            + System.getProperty("os.arch")
            + ": "
            + error.getClass().getSimpleName());
  }

  private static boolean isOff(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return v.equals("off") || v.equals("false") || v.equals("0") || v.equals("no");
  }

  /**
   * Tests only: forget the decision so the next {@link #install()} decides again (never removes a
   * provider).
   */
  static void resetForTests() {
    status = null;
  }
}
