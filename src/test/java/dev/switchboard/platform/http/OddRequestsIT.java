package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.RawHttp;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Requests the framework or the servlet container parses before any handler runs: odd media types,
 * broken headers, paths Tomcat refuses. Each gets a 4xx in the JSON error shape, never a 500 or an
 * HTML page.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"SWITCHBOARD_DATA_DIR=target/it-data/odd-requests", TestKeys.ADMIN_PROPERTY})
class OddRequestsIT {

  @LocalServerPort int port;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*/*",
        "application/*",
        "text/*",
        "*/json",
        "garbage",
        "application/json; charset=bogus",
        "application/json; charset=",
        "/",
        "application/json; q=x",
        "text/plain",
        "multipart/form-data",
        "multipart/form-data; boundary=x"
      })
  void jsonPostWithOddContentTypeThenUnsupportedMediaType(String contentType) {
    HttpResponse<String> response =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(http.base() + "/api/auth/login"))
                .header("Content-Type", contentType)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
    ErrorShape.assertErrorShape(response, 415, "unsupported_media_type");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*/*;q=x",
        ";;",
        "application/",
        "text/html",
        "application/xml",
        "*/x/y",
        "a/b; charset=\""
      })
  void oddAcceptThenNotAcceptableOrAnswered(String accept) {
    HttpResponse<String> response = http.post("/api/auth/login", "{}", "Accept", accept);
    assertThat(response.statusCode()).isLessThan(500);
    ErrorShapeIT.assertErrorShape(
        response,
        response.statusCode(),
        response.statusCode() == 406 ? "not_acceptable" : "validation_failed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/files/%00",
        "/api/files/%ff",
        "/api/files/%c0%ae",
        "/api/files/..%2f..%2fetc%2fpasswd",
        "/api/auth/sessions/..%2f..%2fetc%2fpasswd",
        "/api/files/%2e%2e/x",
        "/api/files/a%5cb",
        "/api/files/%",
        "/api/files/%zz",
        "/api/files/a;b=c",
        "/api/files/%3b",
        "/api/health/..;/x"
      })
  void pathTomcatRejectsThenJsonErrorShape(String target) {
    RawHttp.Response response =
        RawHttp.request(port, "GET", target, "Authorization: Bearer " + TestKeys.ADMIN);
    assertRawErrorShape(response);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/files/a|b",
        "/api/files/a{b}",
        "/api/files/a\"b",
        "/api/files/a<b>",
        "/api/files/a\\b"
      })
  void pathWithCharactersNoUriAllowsThenJsonErrorShape(String target) {
    assertRawErrorShape(RawHttp.request(port, "GET", target));
  }

  @Test
  void requestLineOverHeaderLimitThenJsonErrorShape() {
    RawHttp.Response response = RawHttp.request(port, "GET", "/api/health?x=" + "a".repeat(9_000));
    assertRawErrorShape(response);
    assertThat(response.status()).isIn(400, 414, 431);
  }

  @Test
  void headersOverLimitThenJsonErrorShape() {
    RawHttp.Response response =
        RawHttp.request(port, "GET", "/api/health", "X-Big: " + "a".repeat(9_000));
    assertRawErrorShape(response);
  }

  @Test
  void headerWithoutColonThenJsonErrorShape() {
    assertRawErrorShape(RawHttp.request(port, "GET", "/api/health", "NotAHeader"));
  }

  @Test
  void contentLengthNotANumberThenJsonErrorShape() {
    assertRawErrorShape(
        RawHttp.request(
            port,
            "POST",
            "/api/auth/login",
            "Content-Type: application/json",
            "Content-Length: abc"));
  }

  @Test
  void contentLengthAndChunkedTogetherThenJsonErrorShape() {
    // Chunked wins (RFC 9112 §6.3); the body is read as chunks and answered like any other bad
    // login.
    RawHttp.Response response =
        RawHttp.send(
            port,
            ("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertRawErrorShape(response);
  }

  @Test
  void unknownTransferEncodingThenNotImplementedInJsonErrorShape() {
    RawHttp.Response response =
        RawHttp.request(
            port,
            "POST",
            "/api/auth/login",
            "Content-Type: application/json",
            "Transfer-Encoding: gzip");
    assertThat(response.status()).isEqualTo(501);
    assertJsonShape(response, "not_implemented");
  }

  @Test
  void unknownHttpVersionThenVersionNotSupportedInJsonErrorShape() {
    RawHttp.Response response =
        RawHttp.send(
            port,
            "GET /api/health HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThat(response.status()).isEqualTo(505);
    assertJsonShape(response, "http_version_not_supported");
  }

  @Test
  void localStorageUrlFromOriginNotAllowedThenForbiddenInJsonErrorShape() {
    HttpResponse<String> response = http.get("/storage/local/x", "Origin", "http://evil.example");
    ErrorShape.assertErrorShape(response, 403, "cors_origin_not_allowed");
  }

  static void assertRawErrorShape(RawHttp.Response response) {
    assertThat(response.status()).as(response.body()).isBetween(400, 499);
    assertJsonShape(response, "");
  }

  static void assertJsonShape(RawHttp.Response response, String code) {
    assertThat(response.header("Content-Type")).as(response.body()).startsWith("application/json");
    assertThat(response.body())
        .contains("\"status\":" + response.status())
        .contains("\"code\":\"" + code)
        .contains("\"message\":")
        .contains("\"requestId\":\"" + response.header("X-Request-Id") + "\"");
  }
}
