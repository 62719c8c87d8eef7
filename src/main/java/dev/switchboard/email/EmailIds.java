package dev.switchboard.email;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random ids for messages ({@code msg_…}) and batches ({@code bat_…}): 96 bits, hard to guess, safe in URLs. */
final class EmailIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private EmailIds() {}

  static String message() {
    return "msg_" + random();
  }

  static String batch() {
    return "bat_" + random();
  }

  private static String random() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
