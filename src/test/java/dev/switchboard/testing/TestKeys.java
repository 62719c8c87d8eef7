package dev.switchboard.testing;

/**
 * The full-scope key integration tests configure as {@code SWITCHBOARD_ADMIN_API_KEY} to call admin
 * endpoints.
 */
public final class TestKeys {

  public static final String ADMIN = "sk_test_admin_key_0123456789abcdef_local";
  public static final String ADMIN_PROPERTY = "SWITCHBOARD_ADMIN_API_KEY=" + ADMIN;

  private TestKeys() {}
}
