package dev.switchboard.auth;

import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.ids.Ids;

/** Ids and secrets of the auth area. */
final class AuthIds {

  private AuthIds() {}

  static String account() {
    return Ids.hex("usr_", 12);
  }

  static String session() {
    return Ids.hex("ses_", 12);
  }

  static String key() {
    return Ids.hex("key-", 8);
  }

  /** 256 random bits, URL-safe: refresh tokens and mailed tokens. */
  static String secret() {
    return Ids.urlSafe(32);
  }

  /**
   * SHA-256 hex: how refresh and mailed tokens are stored, so reading the tables does not let
   * anyone sign in.
   */
  static String hash(String token) {
    return Digests.sha256Hex(token);
  }
}
