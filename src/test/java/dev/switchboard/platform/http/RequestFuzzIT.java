package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.RawHttp;
import dev.switchboard.testing.TestKeys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Sends a corpus of odd requests (headers, path values, bodies, content types) to every route
 * Spring MVC knows, so a route added later is covered without touching this test. Nothing may
 * answer 5xx, and every 4xx must be the JSON error shape (pages meant for a browser, the dashboard
 * and the dev providers' pages, may answer an HTML page instead). Failures are collected and
 * reported together, one line per request.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/request-fuzz",
      TestKeys.ADMIN_PROPERTY,
      // The corpus is thousands of requests from one address: counting them would turn every answer
      // into a 429.
      "SWITCHBOARD_API_RATE_LIMIT=100000/s",
      "SWITCHBOARD_SIGN_IN_RATE_LIMIT=100000/s",
      "SWITCHBOARD_REFRESH_RATE_LIMIT=100000/s"
    })
class RequestFuzzIT {

  static final String AUTH = "Authorization: Bearer " + TestKeys.ADMIN;

  static final List<String> PATH_VALUES =
      List.of(
          "x",
          "0",
          "-1",
          "99999999999999999999",
          "%20",
          "..",
          "%2e%2e",
          "a%22b",
          "%E2%82%AC",
          "%ED%A0%80",
          "a".repeat(600),
          "null",
          "usr_1",
          "%0d%0aX:y");

  static final List<String> CONTENT_TYPES =
      List.of(
          "application/json",
          "*/*",
          "application/*",
          "text/plain",
          "application/json; charset=bogus",
          "application/json; charset=utf-16",
          "application/x-www-form-urlencoded",
          "multipart/form-data",
          "multipart/form-data; boundary=x",
          "application/xml",
          ";",
          "application/json;;");

  static final List<byte[]> BODIES =
      List.of(
          bytes("{}"),
          bytes("[]"),
          bytes("null"),
          bytes("\"x\""),
          bytes("1"),
          bytes("{\"a\":"),
          bytes("{\"a\":1,\"a\":2}"),
          bytes("[".repeat(5000) + "]".repeat(5000)),
          bytes("{\"n\":1e999999999}"),
          bytes("{\"name\":true,\"email\":1,\"to\":{},\"filename\":[],\"plan\":false}"),
          new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
          bytes("\uFEFF{}"),
          bytes("{\"email\":\"a@b.c\",\"password\":\"" + "x".repeat(100_000) + "\"}"),
          bytes(""));

  static final List<String[]> HEADER_SETS =
      List.of(
          new String[] {"Accept: */*;q=x"},
          new String[] {"Accept: application/xml"},
          new String[] {"Accept: ;;,,"},
          new String[] {"Accept-Language: \u00ff\u00ff;q=abc"},
          new String[] {"Accept-Charset: bogus"},
          new String[] {"If-None-Match: \"unterminated"},
          new String[] {"If-Modified-Since: yesterday"},
          new String[] {"If-Match: *"},
          new String[] {"If-Unmodified-Since: 0"},
          new String[] {"Range: bytes=9-1,x"},
          new String[] {"Origin: null"},
          new String[] {"Origin: http://evil.example"},
          new String[] {"Cookie: ;;=;a"},
          new String[] {"Cookie: sb_session=%%%; sb_admin=\u00ff"},
          new String[] {"X-Forwarded-For: not-an-ip, ::::"},
          new String[] {"X-Forwarded-Proto: gopher"},
          new String[] {"X-Request-Id: " + "a".repeat(500)},
          new String[] {"Idempotency-Key: \u00e9"},
          new String[] {"Idempotency-Key: "},
          new String[] {"Authorization: Bearer"},
          new String[] {"Authorization: Basic !!!"},
          new String[] {"Authorization: Bearer a.b.c"},
          new String[] {"Authorization: " + "x".repeat(4000)},
          new String[] {"Expect: 100-continue"},
          new String[] {"Expect: teapot"},
          new String[] {"Content-Encoding: gzip"},
          new String[] {"Stripe-Signature: t=x,v1=y"},
          new String[] {"Forwarded: for=\"[::1\";proto=x"},
          new String[] {"Host: "});

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Test
  void everyRouteWhenSentOddRequestsThenNoServerErrorAndJsonErrorShape() {
    List<Route> routes = routes();
    assertThat(routes).hasSizeGreaterThan(40);
    List<String> failures = new ArrayList<>();
    int sent = 0;
    long started = System.nanoTime();
    for (Route route : routes) {
      for (String value : PATH_VALUES) {
        sent += check(failures, route.method(), route.path(value), null, null, AUTH);
      }
      String path = route.path("x");
      boolean hasBody = !route.method().equals("GET") && !route.method().equals("DELETE");
      for (String[] headers : HEADER_SETS) {
        String[] withAuth =
            headers[0].startsWith("Authorization") ? headers : append(headers, AUTH);
        sent +=
            check(
                failures,
                route.method(),
                path,
                hasBody ? "application/json" : null,
                hasBody ? bytes("{}") : null,
                withAuth);
      }
      if (hasBody) {
        for (String type : CONTENT_TYPES) {
          sent += check(failures, route.method(), path, type, bytes("{}"), AUTH);
        }
        for (byte[] body : BODIES) {
          sent += check(failures, route.method(), path, "application/json", body, AUTH);
          sent += check(failures, route.method(), path, "application/json", body);
        }
      }
    }
    System.out.printf(
        "fuzz: %d routes, %d requests in %d ms%n",
        routes.size(), sent, (System.nanoTime() - started) / 1_000_000);
    try {
      java.nio.file.Files.write(
          java.nio.file.Path.of("target/request-fuzz-failures.txt"), failures);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(failures)
        .as("requests answered with a 5xx or a 4xx outside the error shape")
        .isEmpty();
  }

  int check(
      List<String> failures,
      String method,
      String path,
      String contentType,
      byte[] body,
      String... headers) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    boolean ownHost = false;
    for (String header : headers) {
      ownHost |= header.startsWith("Host:");
    }
    if (!ownHost) {
      head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    }
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    raw.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      raw.writeBytes(body);
    }
    String what =
        method
            + " "
            + abbreviate(path)
            + " "
            + abbreviate(String.join(" | ", headers).replace(TestKeys.ADMIN, "<admin>"))
            + (contentType == null ? "" : " [" + contentType + "]")
            + (body == null ? "" : " " + abbreviate(new String(body, StandardCharsets.UTF_8)));
    RawHttp.Response response;
    try {
      response = RawHttp.send(port, raw.toByteArray());
    } catch (RuntimeException e) {
      failures.add(what + " → no answer: " + e);
      return 1;
    }
    int status = response.status();
    if (status >= 500) {
      failures.add(what + " → " + status + " " + abbreviate(response.body()));
    } else if (status >= 400
        && !errorShape(response)
        && !(browserPage(path) && htmlPage(response))) {
      failures.add(
          what
              + " → "
              + status
              + " not in the error shape: "
              + response.header("Content-Type")
              + " "
              + abbreviate(response.body()));
    }
    return 1;
  }

  /**
   * Dashboard and dev-provider pages are opened in a browser; their errors are pages, everything
   * else is JSON.
   */
  static boolean browserPage(String path) {
    return path.startsWith("/admin")
        || path.startsWith("/payments/dev/")
        || path.startsWith("/auth/")
        || (path.startsWith("/dev/oauth/") && path.endsWith("/authorize"));
  }

  static boolean htmlPage(RawHttp.Response response) {
    String type = response.header("Content-Type");
    return type != null && type.startsWith("text/html") && response.body().contains("<html");
  }

  static boolean errorShape(RawHttp.Response response) {
    String type = response.header("Content-Type");
    String body = response.body();
    return type != null
        && type.startsWith("application/json")
        && body.contains("\"status\":" + response.status())
        && body.matches("(?s).*\"code\":\"[a-z0-9_]+\".*")
        && body.contains("\"message\":")
        && body.contains("\"requestId\":\"");
  }

  List<Route> routes() {
    Set<Route> routes = new LinkedHashSet<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      Set<String> names = new TreeSet<>();
      if (methods.isEmpty()) {
        names.addAll(List.of("GET", "POST"));
      } else {
        methods.forEach(m -> names.add(m.name()));
      }
      for (String pattern : info.getPatternValues()) {
        for (String method : names) {
          routes.add(new Route(method, pattern));
        }
      }
    }
    return new ArrayList<>(routes);
  }

  record Route(String method, String pattern) {
    String path(String value) {
      return pattern.replaceAll("\\{\\*?[^}]+}", value);
    }
  }

  static String[] append(String[] headers, String extra) {
    String[] all = java.util.Arrays.copyOf(headers, headers.length + 1);
    all[headers.length] = extra;
    return all;
  }

  static String abbreviate(String s) {
    String clean = s.replaceAll("[\\r\\n]", " ");
    return clean.length() > 120 ? clean.substring(0, 120) + "…" : clean;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
