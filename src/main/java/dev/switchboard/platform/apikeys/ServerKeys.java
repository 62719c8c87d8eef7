package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The {@code keys} commands through a running server's key API ({@code /api/keys}, scope {@code
 * admin}), for when the server holds the database (an H2 file is locked while it runs). Errors the
 * server answers come back as {@link ApiException}s with its status and code; a server that cannot
 * be reached is a {@link Unreachable}.
 */
final class ServerKeys implements CliCommand.Keys {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** The server did not answer (refused, timed out, not HTTP). */
  static final class Unreachable extends RuntimeException {
    Unreachable(String message) {
      super(message);
    }
  }

  private final URI base;
  private final Secret adminKey;
  private final HttpClient client;

  ServerKeys(URI base, Secret adminKey) {
    this.base = URI.create(base.toString().replaceAll("/+$", ""));
    this.adminKey = adminKey;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  URI base() {
    return base;
  }

  @Override
  public CreatedApiKey create(String name, List<String> scopes) {
    String body = Json.MAPPER.writeValueAsString(Map.of("name", name, "scopes", scopes));
    JsonNode created =
        send(
            HttpRequest.newBuilder(base.resolve(base.getPath() + "/api/keys"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    ApiKey key =
        new ApiKey(
            created.path("id").asString(),
            created.path("name").asString(),
            created.path("prefix").asString(),
            strings(created.path("scopes")),
            Instant.parse(created.path("createdAt").asString()),
            Optional.empty(),
            Optional.empty());
    return new CreatedApiKey(key, Secret.of(created.path("key").asString()));
  }

  @Override
  public List<ApiKey> list() {
    JsonNode list = send(HttpRequest.newBuilder(base.resolve(base.getPath() + "/api/keys")).GET());
    List<ApiKey> keys = new ArrayList<>();
    for (JsonNode key : list.path("keys")) {
      keys.add(key(key));
    }
    return keys;
  }

  @Override
  public ApiKey revoke(String id) {
    return key(
        send(
            HttpRequest.newBuilder(
                    base.resolve(
                        base.getPath()
                            + "/api/keys/"
                            + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")))
                .DELETE()));
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response =
          client.send(
              request
                  .timeout(TIMEOUT)
                  .header("Authorization", "Bearer " + adminKey.reveal())
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted");
    }
    JsonNode body = Json.tree(response.body());
    if (response.statusCode() / 100 != 2) {
      if (!body.path("code").isString()) {
        throw new Unreachable(
            "answered " + response.statusCode() + " without Switchboard's error shape");
      }
      throw new ApiException(
          response.statusCode(), body.path("code").asString(), body.path("message").asString());
    }
    if (!body.isObject()) {
      throw new Unreachable("answered " + response.statusCode() + " without a JSON body");
    }
    return body;
  }

  private static ApiKey key(JsonNode node) {
    return new ApiKey(
        node.path("id").asString(),
        node.path("name").asString(),
        node.path("prefix").asString(),
        strings(node.path("scopes")),
        Instant.parse(node.path("createdAt").asString()),
        time(node.path("lastUsedAt")),
        time(node.path("revokedAt")));
  }

  private static Optional<Instant> time(JsonNode node) {
    return node.isString() ? Optional.of(Instant.parse(node.asString())) : Optional.empty();
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asString()));
    return out;
  }
}
