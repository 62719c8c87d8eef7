package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.http.ApiException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/setup/admin-key} {@code {"token":"setup_…","name":"admin"}}: the first admin key
 * of a production install, with the one-time token printed at startup ({@link SetupToken}). Open:
 * the token is the credential.
 */
@RestController
class SetupRoutes {

  private final SetupToken setup;

  SetupRoutes(SetupToken setup) {
    this.setup = setup;
  }

  record SetupRequest(String token, String name) {}

  @PostMapping("/api/setup/admin-key")
  ResponseEntity<ApiKeyRoutes.Created> create(@RequestBody SetupRequest body) {
    if (body.token() == null || body.token().isBlank()) {
      throw ApiException.invalidField("token", "token is required");
    }
    String name = body.name() == null || body.name().isBlank() ? "admin" : body.name().strip();
    if (name.length() > ApiKeyService.MAX_NAME_LENGTH) {
      throw ApiException.invalidField(
          "name", "name must be at most " + ApiKeyService.MAX_NAME_LENGTH + " characters");
    }
    return ApiKeyRoutes.Created.answer(setup.redeem(body.token(), name));
  }
}
