package dev.switchboard.email;

import dev.switchboard.platform.ids.Ids;

/**
 * Random ids for messages ({@code msg_…}) and batches ({@code bat_…}): 96 bits, hard to guess, safe
 * in URLs.
 */
final class EmailIds {

  private EmailIds() {}

  static String message() {
    return Ids.hex("msg_", 12);
  }

  static String batch() {
    return Ids.hex("bat_", 12);
  }
}
