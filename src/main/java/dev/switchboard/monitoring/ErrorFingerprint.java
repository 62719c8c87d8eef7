package dev.switchboard.monitoring;

import dev.switchboard.platform.crypto.Digests;
import java.util.regex.Pattern;

/**
 * Groups occurrences of the same failure: the exception class plus the top {@value #FRAMES} stack
 * frames (class and method, no line numbers, so an unrelated edit above the throw site does not
 * split a group). Names of generated classes (lambdas, CGLIB and JDK proxies, reflection accessors)
 * carry counters that change between runs; they are normalised so a restart does not split groups
 * either. The message is left out on purpose: it usually contains ids.
 */
public final class ErrorFingerprint {

  static final int FRAMES = 5;

  private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda.*$");
  private static final Pattern CGLIB = Pattern.compile("\\$\\$SpringCGLIB\\$\\$\\d+");
  private static final Pattern JDK_PROXY =
      Pattern.compile("(jdk\\.proxy)\\d+(\\.\\$Proxy)\\d+|(\\$Proxy)\\d+");
  private static final Pattern ACCESSOR =
      Pattern.compile("(Generated(?:Serialization)?(?:Method|Constructor)Accessor)\\d+");

  private ErrorFingerprint() {}

  /** A 64-character hex fingerprint of {@code error}. */
  public static String of(Throwable error) {
    return sha256(signature(error));
  }

  /**
   * The text the fingerprint is a hash of; exposed for tests and for debugging a surprising
   * grouping.
   */
  static String signature(Throwable error) {
    StringBuilder text = new StringBuilder(error.getClass().getName());
    StackTraceElement[] stack = error.getStackTrace();
    for (int i = 0; i < Math.min(FRAMES, stack.length); i++) {
      text.append('\n')
          .append(normalise(stack[i].getClassName()))
          .append('.')
          .append(stack[i].getMethodName());
    }
    return text.toString();
  }

  static String normalise(String className) {
    String name = LAMBDA.matcher(className).replaceAll("\\$\\$Lambda");
    name = CGLIB.matcher(name).replaceAll("\\$\\$SpringCGLIB\\$\\$");
    name =
        JDK_PROXY
            .matcher(name)
            .replaceAll(m -> m.group(3) != null ? "\\$Proxy" : "jdk.proxy.\\$Proxy");
    return ACCESSOR.matcher(name).replaceAll("$1");
  }

  private static String sha256(String text) {
    return Digests.sha256Hex(text);
  }
}
