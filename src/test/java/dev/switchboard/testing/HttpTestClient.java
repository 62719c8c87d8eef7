package dev.switchboard.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HTTP client for integration tests against a server on a random port. */
public final class HttpTestClient {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String bearer;

  public HttpTestClient(int port) {
    this("http://127.0.0.1:" + port, null);
  }

  private HttpTestClient(String base, String bearer) {
    this.base = base;
    this.bearer = bearer;
  }

  /** A client that sends {@code Authorization: Bearer key} unless a request sets its own. */
  public HttpTestClient authorized(String key) {
    return new HttpTestClient(base, key);
  }

  public HttpResponse<String> get(String path, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
  }

  public HttpResponse<String> post(String path, String json, String... headers) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        headers);
  }

  public HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
    if (headers.length > 0) {
      request.headers(headers);
    }
    boolean ownAuthorization = false;
    for (int i = 0; i < headers.length; i += 2) {
      ownAuthorization |= headers[i].equalsIgnoreCase("Authorization");
    }
    if (bearer != null && !ownAuthorization) {
      request.header("Authorization", "Bearer " + bearer);
    }
    try {
      return client.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String base() {
    return base;
  }
}
