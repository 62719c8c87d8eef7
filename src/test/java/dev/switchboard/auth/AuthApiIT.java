package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.email.EmailService;
import dev.switchboard.email.StoredMessage;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sign-in API as an app calls it, on H2 with the dev outbox. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.context.annotation.Import(RecordedAccountEvents.class)
class AuthApiIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String dir = "target/it-data/auth-api-" + UUID.randomUUID();
    registry.add("SWITCHBOARD_DATA_DIR", () -> dir);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("SWITCHBOARD_ADMIN_EMAILS", () -> "boss@example.com");
    registry.add("SWITCHBOARD_SIGN_IN_RATE_LIMIT", () -> "10000/min");
    registry.add("SWITCHBOARD_REFRESH_RATE_LIMIT", () -> "10000/min");
  }

  static final Pattern TOKEN = Pattern.compile("#token=([A-Za-z0-9_-]+)");

  @LocalServerPort int port;

  @Autowired EmailService email;

  @Autowired JdbcClient jdbc;

  @Autowired SigningKeys keys;

  @Autowired RecordedAccountEvents events;

  @Autowired Sessions sessions;

  @Autowired org.springframework.transaction.PlatformTransactionManager transactionManager;

  final JsonMapper json = JsonMapper.builder().build();
  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  JsonNode body(HttpResponse<String> response) {
    return json.readTree(response.body());
  }

  /**
   * The token in the newest such mail; reset mails are written by a job, so this waits for one to
   * exist.
   */
  String mailedToken(String to, String template) {
    Eventually.await(
        template + " mail to " + to,
        Duration.ofSeconds(20),
        () -> mailTo(to, template).isPresent());
    StoredMessage message = mailTo(to, template).orElseThrow();
    Matcher m = TOKEN.matcher(message.content().text());
    assertThat(m.find()).as("link with a token in %s", template).isTrue();
    return m.group(1);
  }

  java.util.Optional<StoredMessage> mailTo(String to, String template) {
    return email.recentMessages(200).stream()
        .filter(m -> m.recipient().equals(to) && m.template().equals(template))
        .findFirst();
  }

  /**
   * The reset jobs queued for an address and not yet done: a job without a dedupe key, done leaves
   * no row.
   */
  long resetJobs(String address) {
    return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE type = 'auth.password-reset' AND payload = ?")
        .param("{\"email\":\"" + address + "\"}")
        .query(Long.class)
        .single();
  }

  long count(String table) {
    return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
  }

  JsonNode registerVerifyLogin(String address, String password) {
    assertThat(
            http.post(
                    "/api/auth/register",
                    "{\"email\":\""
                        + address
                        + "\",\"password\":\""
                        + password
                        + "\",\"name\":\"Ann\"}")
                .statusCode())
        .isEqualTo(202);
    HttpResponse<String> verified =
        http.post(
            "/api/auth/verify-email", "{\"token\":\"" + mailedToken(address, "welcome") + "\"}");
    assertThat(verified.statusCode()).isEqualTo(200);
    HttpResponse<String> login =
        http.post(
            "/api/auth/login",
            "{\"email\":\"" + address + "\",\"password\":\"" + password + "\"}",
            "User-Agent",
            "PhoneApp/2.0");
    assertThat(login.statusCode()).isEqualTo(200);
    return body(login);
  }

  HttpResponse<String> me(String accessToken) {
    return http.get("/api/auth/me", "Authorization", "Bearer " + accessToken);
  }

  @Test
  void registerVerifyLoginWhenNewAddressThenSessionWorksAndMeAnswersVerifiedUser() {
    JsonNode tokens = registerVerifyLogin("ann@example.com", "correct horse battery");

    assertThat(tokens.path("expiresIn").asLong()).isEqualTo(900);
    assertThat(tokens.path("tokenType").asString()).isEqualTo("Bearer");
    HttpResponse<String> me = me(tokens.path("accessToken").asString());
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(body(me).path("email").asString()).isEqualTo("ann@example.com");
    assertThat(body(me).path("emailVerified").asBoolean()).isTrue();

    HttpResponse<String> sessions =
        http.get(
            "/api/auth/sessions",
            "Authorization",
            "Bearer " + tokens.path("accessToken").asString());
    JsonNode row = body(sessions).path("sessions").get(0);
    assertThat(row.path("current").asBoolean()).isTrue();
    assertThat(row.path("method").asString()).isEqualTo("password");
    assertThat(row.path("userAgent").asString()).isEqualTo("PhoneApp/2.0");
    assertThat(row.path("ipAddress").asString()).isEqualTo("127.0.0.1");
  }

  @Test
  void meWhenAcceptExcludesJsonThen406AndOtherwiseTheSameJsonAnswer() {
    String access =
        registerVerifyLogin("cy@example.com", "correct horse battery")
            .path("accessToken")
            .asString();
    HttpResponse<String> plain = me(access);
    assertThat(plain.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(plain.headers().firstValueAsLong("Content-Length"))
        .hasValue(plain.body().getBytes(StandardCharsets.UTF_8).length);
    assertThat(body(plain).propertyNames())
        .containsExactly("id", "email", "emailVerified", "name", "roles", "createdAt");

    for (String accept :
        List.of(
            "application/json",
            "*/*",
            "application/*",
            "application/*+json",
            "text/html, */*;q=0.1")) {
      HttpResponse<String> r =
          http.get("/api/auth/me", "Authorization", "Bearer " + access, "Accept", accept);
      assertThat(r.statusCode()).as(accept).isEqualTo(200);
      assertThat(r.body()).as(accept).isEqualTo(plain.body());
    }
    for (String accept : List.of("text/html", "application/xml", "not a media type")) {
      Errors.assertError(
          http.get("/api/auth/me", "Authorization", "Bearer " + access, "Accept", accept),
          406,
          "not_acceptable");
    }
  }

  @Test
  void registerWhenAddressAlreadyUsedThenSameAnswerNoNewAccountAndOwnerGetsAMail() {
    HttpResponse<String> first =
        http.post(
            "/api/auth/register",
            "{\"email\":\"used@example.com\",\"password\":\"first password 1\",\"name\":\"Owner\"}");
    long accounts = count("accounts");

    HttpResponse<String> second =
        http.post(
            "/api/auth/register",
            "{\"email\":\"Used@Example.com\",\"password\":\"attacker password 2\",\"name\":\"Mallory\"}");

    assertThat(second.statusCode()).isEqualTo(first.statusCode()).isEqualTo(202);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(count("accounts")).isEqualTo(accounts);
    assertThat(mailedToken("used@example.com", "account-exists")).isNotBlank();
    String ownerId =
        jdbc.sql("SELECT id FROM accounts WHERE email = 'used@example.com'")
            .query(String.class)
            .single();
    assertThat(events.created)
        .filteredOn(e -> e.accountId().equals(ownerId))
        .singleElement()
        .satisfies(e -> assertThat(e.method()).isEqualTo("password"));
    assertThat(
            http.post(
                    "/api/auth/login",
                    "{\"email\":\"used@example.com\",\"password\":\"attacker password 2\"}")
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void registerWhenWeakOrOversizedPasswordThen400WithStableCodeAndNothingCreated() {
    long accounts = count("accounts");
    String[][] cases = {
      {"short1", "password_too_short"},
      {"password123", "password_too_common"},
      {"aaaaaaaaaaaa", "password_too_common"},
      {"weak@example.com", "password_too_common"},
      {"x".repeat(73), "password_too_long"},
      {"é".repeat(40), "password_too_long"},
      {"", "password_required"}
    };
    for (String[] c : cases) {
      HttpResponse<String> r =
          http.post(
              "/api/auth/register",
              "{\"email\":\"weak@example.com\",\"password\":\"" + c[0] + "\"}");
      Errors.assertError(r, 400, c[1]);
    }
    Errors.assertError(
        http.post(
            "/api/auth/register",
            "{\"email\":\"not-an-address\",\"password\":\"fine password 9\"}"),
        400,
        "validation_failed");
    assertThat(count("accounts")).isEqualTo(accounts);
  }

  @Test
  void loginWhenWrongPasswordOrUnknownAddressThenSameInvalidCredentials() {
    registerVerifyLogin("bob@example.com", "bobs long password");
    HttpResponse<String> wrong =
        http.post(
            "/api/auth/login", "{\"email\":\"bob@example.com\",\"password\":\"nope nope nope\"}");
    HttpResponse<String> unknown =
        http.post(
            "/api/auth/login",
            "{\"email\":\"nobody@example.com\",\"password\":\"nope nope nope\"}");
    Errors.assertError(wrong, 401, "invalid_credentials");
    Errors.assertError(unknown, 401, "invalid_credentials");
    assertThat(body(wrong).path("message")).isEqualTo(body(unknown).path("message"));
  }

  @Test
  void refreshWhenRotatedTokenReusedAfterGraceThenFamilyRevokedAndAccessTokenStopsWorking() {
    JsonNode first = registerVerifyLogin("carol@example.com", "carols long password");
    HttpResponse<String> refreshed =
        http.post(
            "/api/auth/refresh",
            "{\"refreshToken\":\"" + first.path("refreshToken").asString() + "\"}",
            "Authorization",
            "Bearer expired-or-garbage");
    assertThat(refreshed.statusCode()).isEqualTo(200);
    assertThat(refreshed.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(refreshed.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode second = body(refreshed);
    assertThat(second.path("tokenType").asString()).isEqualTo("Bearer");
    assertThat(second.path("expiresIn").asInt()).isEqualTo(900);
    assertThat(second.path("user").path("email").asString()).isEqualTo("carol@example.com");
    assertThat(second.path("refreshToken").asString())
        .isNotEqualTo(first.path("refreshToken").asString());

    HttpResponse<String> withinGrace =
        http.post(
            "/api/auth/refresh",
            "{\"refreshToken\":\"" + first.path("refreshToken").asString() + "\"}");
    assertThat(body(withinGrace).path("refreshToken").asString())
        .isEqualTo(second.path("refreshToken").asString());

    // The rotation happened a minute ago (the family's record of its latest rotations).
    jdbc.sql("UPDATE auth_sessions SET refresh_rotations = ? WHERE id = ?")
        .params(
            String.valueOf(Instant.now().minusSeconds(60).toEpochMilli()),
            FamilyTokens.parse(first.path("refreshToken").asString()).sessionId())
        .update();
    Errors.assertError(
        http.post(
            "/api/auth/refresh",
            "{\"refreshToken\":\"" + first.path("refreshToken").asString() + "\"}"),
        401,
        "refresh_token_reused");
    Errors.assertError(
        http.post(
            "/api/auth/refresh",
            "{\"refreshToken\":\"" + second.path("refreshToken").asString() + "\"}"),
        401,
        "invalid_refresh_token");
    HttpResponse<String> me = me(second.path("accessToken").asString());
    Errors.assertError(me, 401, "invalid_token");
    assertThat(me.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer error=\"invalid_token\"");
  }

  @Test
  void refreshWhenGroupSharesACommitThenEachRotatedOnceAndAReusedTokenAnsweredItsPair() {
    String accountId =
        registerVerifyLogin("grace@example.com", "graces long password")
            .path("user")
            .path("id")
            .asString();
    ClientInfo client = new ClientInfo("203.0.113.9", "GroupTest/1.0");
    List<SessionTokens> opened =
        java.util.stream.IntStream.range(0, 4)
            .mapToObj(i -> sessions.open(accountId, "password", client))
            .toList();
    List<Sessions.Rotation> group =
        java.util.stream.Stream.concat(
                opened.stream().map(t -> new Sessions.Rotation(t.refreshToken(), client)),
                java.util.stream.Stream.of(
                    new Sessions.Rotation(opened.get(1).refreshToken(), client),
                    new Sessions.Rotation("not-a-token", client)))
            .toList();

    // The lane's writer on this database, as a group of six concurrent refreshes.
    List<Sessions.Outcome> outcomes =
        new org.springframework.transaction.support.TransactionTemplate(transactionManager)
            .execute(tx -> sessions.rotate(group));

    for (int i = 0; i < 4; i++) {
      assertThat(outcomes.get(i).error()).isNull();
      String next = outcomes.get(i).grant().refresh();
      assertThat(next).isNotEqualTo(opened.get(i).refreshToken());
      HttpResponse<String> again =
          http.post("/api/auth/refresh", "{\"refreshToken\":\"" + next + "\"}");
      assertThat(again.statusCode()).isEqualTo(200);
    }
    assertThat(outcomes.get(4).grant().refresh()).isEqualTo(outcomes.get(1).grant().refresh());
    assertThat(outcomes.get(5).error().code()).isEqualTo("invalid_refresh_token");
    for (SessionTokens t : opened) {
      // Rotated once in the group and once more by the request above.
      assertThat(
              jdbc.sql("SELECT refresh_generation FROM auth_sessions WHERE id = ?")
                  .param(FamilyTokens.parse(t.refreshToken()).sessionId())
                  .query(Long.class)
                  .single())
          .isEqualTo(2);
    }
  }

  @Test
  void meWhenTokenForgedExpiredOrUnknownKeyThen401InvalidTokenWithChallenge() throws Exception {
    JsonNode tokens = registerVerifyLogin("dave@example.com", "daves long password");
    String sub = body(me(tokens.path("accessToken").asString())).path("id").asString();
    String sid =
        SignedJWT.parse(tokens.path("accessToken").asString())
            .getJWTClaimsSet()
            .getStringClaim("sid");
    String issuer =
        SignedJWT.parse(tokens.path("accessToken").asString()).getJWTClaimsSet().getIssuer();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder().issuer(issuer).subject(sub).claim("sid", sid);

    SignedJWT expired =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.signing().kid()).build(),
            claims.expirationTime(Date.from(Instant.now().minusSeconds(5))).build());
    expired.sign(keys.signing().signer());
    SignedJWT unknownKey =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("key-unknown").build(),
            claims.expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
    unknownKey.sign(new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()));
    String none = new PlainJWT(claims.build()).serialize();

    for (String token :
        new String[] {expired.serialize(), unknownKey.serialize(), none, "garbage"}) {
      HttpResponse<String> r = me(token);
      Errors.assertError(r, 401, "invalid_token");
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .contains("Bearer error=\"invalid_token\"");
    }
    Errors.assertError(http.get("/api/auth/me"), 401, "unauthenticated");
  }

  @Test
  void logoutWhenScopesUsedThenSessionsEndAsAsked() {
    JsonNode a = registerVerifyLogin("erin@example.com", "erins long password");
    JsonNode b =
        body(
            http.post(
                "/api/auth/login",
                "{\"email\":\"erin@example.com\",\"password\":\"erins long password\"}"));
    JsonNode c =
        body(
            http.post(
                "/api/auth/login",
                "{\"email\":\"erin@example.com\",\"password\":\"erins long password\"}"));
    String bearerA = "Bearer " + a.path("accessToken").asString();

    Errors.assertError(
        http.post("/api/auth/logout", "{\"scope\":\"everything\"}", "Authorization", bearerA),
        400,
        "validation_failed");
    assertThat(
            http.post("/api/auth/logout", "{\"scope\":\"others\"}", "Authorization", bearerA)
                .statusCode())
        .isEqualTo(204);
    assertThat(me(a.path("accessToken").asString()).statusCode()).isEqualTo(200);
    assertThat(me(b.path("accessToken").asString()).statusCode()).isEqualTo(401);
    assertThat(me(c.path("accessToken").asString()).statusCode()).isEqualTo(401);

    assertThat(http.post("/api/auth/logout", "{}", "Authorization", bearerA).statusCode())
        .isEqualTo(204);
    assertThat(me(a.path("accessToken").asString()).statusCode()).isEqualTo(401);
    Errors.assertError(
        http.post(
            "/api/auth/refresh",
            "{\"refreshToken\":\"" + a.path("refreshToken").asString() + "\"}"),
        401,
        "invalid_refresh_token");
  }

  @Test
  void deleteSessionWhenOwnThenEndsItAndWhenForeignThen404() {
    JsonNode a = registerVerifyLogin("fay@example.com", "fays long password");
    JsonNode other = registerVerifyLogin("gus@example.com", "guss long password");
    String otherSid =
        body(http.get(
                "/api/auth/sessions",
                "Authorization",
                "Bearer " + other.path("accessToken").asString()))
            .path("sessions")
            .get(0)
            .path("id")
            .asString();
    String bearer = "Bearer " + a.path("accessToken").asString();

    HttpResponse<String> foreign =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(http.base() + "/api/auth/sessions/" + otherSid))
                .DELETE(),
            "Authorization",
            bearer);
    Errors.assertError(foreign, 404, "session_not_found");
    assertThat(me(other.path("accessToken").asString()).statusCode()).isEqualTo(200);

    JsonNode second =
        body(
            http.post(
                "/api/auth/login",
                "{\"email\":\"fay@example.com\",\"password\":\"fays long password\"}"));
    String secondSid = SignedJWTs.sid(second.path("accessToken").asString());
    HttpResponse<String> own =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(http.base() + "/api/auth/sessions/" + secondSid))
                .DELETE(),
            "Authorization",
            bearer);
    assertThat(own.statusCode()).isEqualTo(204);
    assertThat(me(second.path("accessToken").asString()).statusCode()).isEqualTo(401);
  }

  @Test
  void passwordResetWhenConfirmedThenNewPasswordWorksOldSessionsEndAndLinkIsSingleUse() {
    JsonNode before = registerVerifyLogin("hal@example.com", "hals long password");
    HttpResponse<String> unknown =
        http.post("/api/auth/password-reset", "{\"email\":\"nobody@example.com\"}");
    HttpResponse<String> known =
        http.post("/api/auth/password-reset", "{\"email\":\"hal@example.com\"}");
    assertThat(known.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(202);
    assertThat(known.body()).isEqualTo(unknown.body());
    String token = mailedToken("hal@example.com", "password-reset");

    Errors.assertError(
        http.post(
            "/api/auth/password-reset/confirm",
            "{\"token\":\"" + token + "\",\"password\":\"short\"}"),
        400,
        "password_too_short");
    assertThat(
            http.post(
                    "/api/auth/password-reset/confirm",
                    "{\"token\":\"" + token + "\",\"password\":\"hals new long password\"}")
                .statusCode())
        .isEqualTo(200);
    Errors.assertError(
        http.post(
            "/api/auth/password-reset/confirm",
            "{\"token\":\"" + token + "\",\"password\":\"another long password\"}"),
        400,
        "invalid_reset_token");

    assertThat(me(before.path("accessToken").asString()).statusCode()).isEqualTo(401);
    assertThat(
            http.post(
                    "/api/auth/login",
                    "{\"email\":\"hal@example.com\",\"password\":\"hals long password\"}")
                .statusCode())
        .isEqualTo(401);
    assertThat(
            http.post(
                    "/api/auth/login",
                    "{\"email\":\"hal@example.com\",\"password\":\"hals new long password\"}")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void passwordResetWhenKnownOrUnknownAddressThenRequestWritesAlikeAndOnlyKnownIsMailed() {
    registerVerifyLogin("ida@example.com", "idas long password");
    assertThat(List.of(resetJobs("ida@example.com"), resetJobs("nobody-ida@example.com")))
        .containsOnly(0L);

    assertThat(
            http.post("/api/auth/password-reset", "{\"email\":\"nobody-ida@example.com\"}")
                .statusCode())
        .isEqualTo(202);
    // The request thread only queues the work, the same single job row for an unknown address as
    // for a known one.
    assertThat(resetJobs("nobody-ida@example.com")).isEqualTo(1);
    assertThat(
            http.post("/api/auth/password-reset", "{\"email\":\"IDA@example.com\"}").statusCode())
        .isEqualTo(202);
    assertThat(resetJobs("ida@example.com")).isEqualTo(1);
    // Read while both wait (their start is delayed a second at least).
    assertThat(
            jdbc.sql("SELECT payload FROM jobs WHERE type = 'auth.password-reset'")
                .query(String.class)
                .list())
        .allSatisfy(payload -> assertThat(payload).doesNotContain("token"));

    assertThat(mailedToken("ida@example.com", "password-reset")).isNotBlank();
    Eventually.await(
        "reset jobs done",
        Duration.ofSeconds(20),
        () -> resetJobs("ida@example.com") + resetJobs("nobody-ida@example.com") == 0);
    assertThat(mailTo("nobody-ida@example.com", "password-reset")).isEmpty();
    assertThat(
            jdbc.sql(
                    "SELECT COUNT(*) FROM auth_tokens WHERE purpose = ? AND account_id = "
                        + "(SELECT id FROM accounts WHERE email = ?)")
                .params(MailedTokens.PASSWORD_RESET, "ida@example.com")
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void passwordResetWhenRequestedThenJobStartsOneToFiveSecondsAfterTheRequest() {
    registerVerifyLogin("ray@example.com", "rays long password");
    for (String address : new String[] {"ray@example.com", "nobody-ray@example.com"}) {
      assertThat(
              http.post("/api/auth/password-reset", "{\"email\":\"" + address + "\"}").statusCode())
          .isEqualTo(202);

      // The lookup must not run while the asker's next probe does: its database work would slow
      // that one answer.
      Map<String, Object> job =
          jdbc.sql(
                  "SELECT run_at, created_at FROM jobs WHERE type = 'auth.password-reset' "
                      + "AND payload LIKE ?")
              .param("%\"" + address + "\"%")
              .query()
              .singleRow();
      Duration delay = Duration.between(instant(job.get("created_at")), instant(job.get("run_at")));
      assertThat(delay)
          .as(address)
          .isBetween(PasswordResetJob.MIN_START_DELAY, PasswordResetJob.MAX_START_DELAY);
    }
    assertThat(mailedToken("ray@example.com", "password-reset")).isNotBlank();
  }

  static Instant instant(Object timestamp) {
    return timestamp instanceof java.time.OffsetDateTime o
        ? o.toInstant()
        : timestamp instanceof java.sql.Timestamp t
            ? t.toInstant()
            : Instant.parse(timestamp.toString());
  }

  @Test
  void passwordResetWhenAccountWasUnverifiedThenSquattersIdentitiesAndSessionsEnd() {
    assertThat(
            http.post(
                    "/api/auth/register",
                    "{\"email\":\"una@example.com\",\"password\":\"squatters password\"}")
                .statusCode())
        .isEqualTo(202);
    JsonNode squatter =
        body(
            http.post(
                "/api/auth/login",
                "{\"email\":\"una@example.com\",\"password\":\"squatters password\"}"));
    String accountId = squatter.path("user").path("id").asString();
    jdbc.sql(
            "INSERT INTO identities (provider, subject, account_id, email, email_verified, created_at) "
                + "VALUES ('github', 'squatter-una', ?, 'eve@evil.example', TRUE, ?)")
        .params(accountId, Instant.now().atOffset(ZoneOffset.UTC))
        .update();
    assertThat(
            http.post("/api/auth/password-reset", "{\"email\":\"una@example.com\"}").statusCode())
        .isEqualTo(202);

    assertThat(
            http.post(
                    "/api/auth/password-reset/confirm",
                    "{\"token\":\""
                        + mailedToken("una@example.com", "password-reset")
                        + "\",\"password\":\"unas own long password\"}")
                .statusCode())
        .isEqualTo(200);

    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM identities WHERE account_id = ?")
                .param(accountId)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(me(squatter.path("accessToken").asString()).statusCode()).isEqualTo(401);
  }

  @Test
  void verifyEmailWhenSessionsWereOpenedBeforeThenTheyEnd() {
    assertThat(
            http.post(
                    "/api/auth/register",
                    "{\"email\":\"kit@example.com\",\"password\":\"squatters password\"}")
                .statusCode())
        .isEqualTo(202);
    JsonNode before =
        body(
            http.post(
                "/api/auth/login",
                "{\"email\":\"kit@example.com\",\"password\":\"squatters password\"}"));
    assertThat(me(before.path("accessToken").asString()).statusCode()).isEqualTo(200);

    assertThat(
            http.post(
                    "/api/auth/verify-email",
                    "{\"token\":\"" + mailedToken("kit@example.com", "welcome") + "\"}")
                .statusCode())
        .isEqualTo(200);

    assertThat(me(before.path("accessToken").asString()).statusCode()).isEqualTo(401);
  }

  @Test
  void verifyEmailWhenTokenUnknownOrReusedThen400() {
    Errors.assertError(
        http.post("/api/auth/verify-email", "{\"token\":\"nope\"}"),
        400,
        "invalid_verification_token");
    Errors.assertError(http.post("/api/auth/verify-email", "{}"), 400, "validation_failed");
  }

  @Test
  void adminEmailWhenVerifiedThenAdminRoleAndMayRotateKeys() throws Exception {
    JsonNode tokens = registerVerifyLogin("boss@example.com", "the boss password");
    assertThat(body(me(tokens.path("accessToken").asString())).path("roles").get(0).asString())
        .isEqualTo("admin");
    String oldKid = SignedJWT.parse(tokens.path("accessToken").asString()).getHeader().getKeyID();

    HttpResponse<String> rotated =
        http.post(
            "/api/auth/keys/rotate",
            "{}",
            "Authorization",
            "Bearer " + tokens.path("accessToken").asString());
    assertThat(rotated.statusCode()).isEqualTo(200);

    assertThat(me(tokens.path("accessToken").asString()).statusCode()).isEqualTo(200);
    HttpResponse<String> jwks = http.get("/.well-known/jwks.json");
    assertThat(jwks.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("max-age=600"));
    JWKSet set = JWKSet.parse(jwks.body());
    assertThat(set.getKeyByKeyId(oldKid)).isNotNull();
    assertThat(set.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
    JsonNode fresh =
        body(
            http.post(
                "/api/auth/refresh",
                "{\"refreshToken\":\"" + tokens.path("refreshToken").asString() + "\"}"));
    assertThat(SignedJWT.parse(fresh.path("accessToken").asString()).getHeader().getKeyID())
        .isNotEqualTo(oldKid);
  }

  @Test
  void rotateWhenNotAdminThenRefusedAndKeysUnchanged() {
    JsonNode tokens = registerVerifyLogin("ivy@example.com", "ivys long password");
    String before = keys.signing().kid();
    HttpResponse<String> r =
        http.post(
            "/api/auth/keys/rotate",
            "{}",
            "Authorization",
            "Bearer " + tokens.path("accessToken").asString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(keys.signing().kid()).isEqualTo(before);
  }

  @Test
  void changePasswordWhenSignedInThenOtherSessionsEndAndThisOneStays() {
    JsonNode here = registerVerifyLogin("jo@example.com", "jos long password");
    JsonNode elsewhere =
        body(
            http.post(
                "/api/auth/login",
                "{\"email\":\"jo@example.com\",\"password\":\"jos long password\"}"));
    String bearer = "Bearer " + here.path("accessToken").asString();

    Errors.assertError(
        http.post(
            "/api/auth/password",
            "{\"currentPassword\":\"wrong wrong\",\"newPassword\":\"jos newer password\"}",
            "Authorization",
            bearer),
        401,
        "invalid_credentials");
    assertThat(me(elsewhere.path("accessToken").asString()).statusCode()).isEqualTo(200);
    Errors.assertError(
        http.post(
            "/api/auth/password",
            "{\"currentPassword\":\"jos long password\",\"newPassword\":\""
                + "y".repeat(80)
                + "\"}",
            "Authorization",
            bearer),
        400,
        "password_too_long");

    assertThat(
            http.post(
                    "/api/auth/password",
                    "{\"currentPassword\":\"jos long password\",\"newPassword\":\"jos newer password\"}",
                    "Authorization",
                    bearer)
                .statusCode())
        .isEqualTo(200);
    assertThat(me(here.path("accessToken").asString()).statusCode()).isEqualTo(200);
    assertThat(me(elsewhere.path("accessToken").asString()).statusCode()).isEqualTo(401);
  }

  @Test
  void loginWhenIdempotencyKeySentThenTokensAreNotKeptForReplay() {
    registerVerifyLogin("kim@example.com", "kims long password");
    String login = "{\"email\":\"kim@example.com\",\"password\":\"kims long password\"}";
    HttpResponse<String> first = http.post("/api/auth/login", login, "Idempotency-Key", "k-1");
    HttpResponse<String> second = http.post("/api/auth/login", login, "Idempotency-Key", "k-1");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    assertThat(second.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(body(second).path("refreshToken").asString())
        .isNotEqualTo(body(first).path("refreshToken").asString());
    assertThat(jdbc.sql("SELECT COUNT(*) FROM idempotency_keys").query(Long.class).single())
        .isZero();
  }

  /** Reads a token's session id. */
  static final class SignedJWTs {
    static String sid(String token) {
      try {
        return SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("sid");
      } catch (java.text.ParseException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
