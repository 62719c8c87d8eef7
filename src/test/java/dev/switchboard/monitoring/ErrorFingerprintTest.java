package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorFingerprintTest {

  static IllegalStateException failHere(String message) {
    return new IllegalStateException(message);
  }

  static IllegalStateException failElsewhere() {
    return new IllegalStateException("same message");
  }

  static IllegalStateException failHereOnAnotherLine() {
    IllegalStateException first = new IllegalStateException("a");
    IllegalStateException second = new IllegalStateException("b");
    return first.getStackTrace()[0].getLineNumber() == second.getStackTrace()[0].getLineNumber()
        ? null
        : second;
  }

  @Test
  void ofWhenSameThrowSiteWithDifferentMessagesThenSameFingerprint() {
    assertThat(ErrorFingerprint.of(failHere("order 1 failed")))
        .isEqualTo(ErrorFingerprint.of(failHere("order 2 failed")));
  }

  @Test
  void ofWhenDifferentMethodThenDifferentFingerprint() {
    assertThat(ErrorFingerprint.of(failHere("same message")))
        .isNotEqualTo(ErrorFingerprint.of(failElsewhere()));
  }

  @Test
  void ofWhenDifferentExceptionClassAtSameFramesThenDifferentFingerprint() {
    IllegalStateException state = failHere("x");
    IllegalArgumentException argument = new IllegalArgumentException("x");
    argument.setStackTrace(state.getStackTrace());

    assertThat(ErrorFingerprint.of(state)).isNotEqualTo(ErrorFingerprint.of(argument));
  }

  @Test
  void ofWhenOnlyLineNumbersDifferThenSameFingerprint() {
    IllegalStateException a = failHereOnAnotherLine();
    IllegalStateException b = new IllegalStateException("b");
    StackTraceElement[] moved = a.getStackTrace().clone();
    StackTraceElement top = moved[0];
    moved[0] =
        new StackTraceElement(
            top.getClassName(), top.getMethodName(), top.getFileName(), top.getLineNumber() + 40);
    b.setStackTrace(moved);

    assertThat(a).isNotNull();
    assertThat(ErrorFingerprint.of(a)).isEqualTo(ErrorFingerprint.of(b));
  }

  @Test
  void ofWhenFramesBelowTheTopFiveDifferThenSameFingerprint() {
    IllegalStateException a = failHere("x");
    IllegalStateException b = failHere("x");
    StackTraceElement[] deeper = b.getStackTrace().clone();
    deeper[ErrorFingerprint.FRAMES] =
        new StackTraceElement("some.Other", "caller", "Other.java", 1);
    b.setStackTrace(deeper);

    assertThat(ErrorFingerprint.of(a)).isEqualTo(ErrorFingerprint.of(b));
  }

  @Test
  void ofWhenFrameInsideTopFiveDiffersThenDifferentFingerprint() {
    IllegalStateException a = failHere("x");
    IllegalStateException b = failHere("x");
    StackTraceElement[] changed = b.getStackTrace().clone();
    changed[ErrorFingerprint.FRAMES - 1] =
        new StackTraceElement("some.Other", "caller", "Other.java", 1);
    b.setStackTrace(changed);

    assertThat(ErrorFingerprint.of(a)).isNotEqualTo(ErrorFingerprint.of(b));
  }

  @Test
  void ofWhenGeneratedClassCountersDifferThenSameFingerprint() {
    assertThat(fingerprintAt("dev.switchboard.email.EmailRoutes$$SpringCGLIB$$0"))
        .isEqualTo(fingerprintAt("dev.switchboard.email.EmailRoutes$$SpringCGLIB$$3"));
    assertThat(fingerprintAt("jdk.proxy2.$Proxy45"))
        .isEqualTo(fingerprintAt("jdk.proxy3.$Proxy112"));
    assertThat(fingerprintAt("dev.switchboard.jobs.Runner$$Lambda/0x000001f00104a8"))
        .isEqualTo(fingerprintAt("dev.switchboard.jobs.Runner$$Lambda/0x00000aa0019c40"));
    assertThat(fingerprintAt("jdk.internal.reflect.GeneratedMethodAccessor12"))
        .isEqualTo(fingerprintAt("jdk.internal.reflect.GeneratedMethodAccessor7"));
    assertThat(fingerprintAt("dev.switchboard.email.EmailRoutes"))
        .isNotEqualTo(fingerprintAt("dev.switchboard.email.EmailService"));
  }

  @Test
  void ofThenSixtyFourHexCharacters() {
    assertThat(ErrorFingerprint.of(failHere("x"))).matches("^[0-9a-f]{64}$");
  }

  private static String fingerprintAt(String className) {
    RuntimeException e = new RuntimeException();
    e.setStackTrace(new StackTraceElement[] {new StackTraceElement(className, "handle", null, 10)});
    return ErrorFingerprint.of(e);
  }
}
