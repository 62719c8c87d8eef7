package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.http.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmailTemplatesTest {

  @TempDir Path dir;

  final EmailTemplates builtIn = new EmailTemplates(Optional.empty());

  @Test
  void renderWhenNameHoldsScriptThenHtmlEscapedAndTextVerbatim() {
    EmailTemplate welcome = builtIn.template("welcome", Optional.empty());
    Map<String, Object> vars =
        Map.of("name", "<script>alert(1)</script>", "verifyUrl", "https://app.test/v?a=1&b=2");

    RenderedEmail mail = welcome.render(vars);

    assertThat(mail.html())
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script>")
        .contains("href=\"https://app.test/v?a&#x3D;1&amp;b&#x3D;2\"")
        .startsWith("<!DOCTYPE html>")
        .contains("<title>Welcome,");
    assertThat(mail.text())
        .contains("Hi <script>alert(1)</script>,")
        .contains("https://app.test/v?a=1&b=2");
    assertThat(mail.subject())
        .isEqualTo("Welcome, <script>alert(1)</script>: please confirm your email address");
  }

  @Test
  void renderWhenSubjectValueHasLineBreaksThenSubjectStaysOnOneLine() {
    RenderedEmail mail =
        builtIn
            .template("welcome", Optional.empty())
            .render(Map.of("name", "Ann\r\nBcc: x@evil.test", "verifyUrl", "https://v"));

    assertThat(mail.subject())
        .doesNotContain("\r", "\n")
        .startsWith("Welcome, Ann Bcc: x@evil.test");
  }

  @Test
  void templateWhenRegionalLocaleThenFallsBackToLanguageThenDefault() {
    Map<String, Object> vars = Map.of("name", "Zoé", "verifyUrl", "https://v");

    assertThat(builtIn.template("welcome", Optional.of("fr-CA")).render(vars).subject())
        .startsWith("Bienvenue, Zoé");
    assertThat(builtIn.template("welcome", Optional.of("fr")).render(vars).html())
        .contains("lang=\"fr\"");
    assertThat(builtIn.template("welcome", Optional.of("de-AT")).render(vars).subject())
        .startsWith("Welcome, Zoé");
    assertThat(EmailTemplates.localeChain("fr_CA")).containsExactly("fr-CA", "fr", "");
  }

  @Test
  void checkWhenRequiredVariableMissingOrBlankThenMissingTemplateVariableNamingIt() {
    EmailTemplate reset = builtIn.template("password-reset", Optional.empty());

    assertThat(reset.requiredVariables()).containsExactly("name", "resetUrl");
    assertThatThrownBy(() -> reset.check(Map.of("name", "Ann"), "variables"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo("missing_template_variable");
              assertThat(e.field()).contains("variables.resetUrl");
              assertThat(e.getMessage()).contains("resetUrl");
            });
    assertThatThrownBy(
            () ->
                reset.check(
                    Map.of("name", " ", "resetUrl", "https://r"), "recipients[2].variables"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.field()).contains("recipients[2].variables.name"));
  }

  @Test
  void checkWhenRequiredVariableIsObjectOrArrayThenInvalidTemplateVariable() {
    EmailTemplate welcome = builtIn.template("welcome", Optional.empty());

    for (Object bad : List.of(Map.of("first", "Ann"), List.of("Ann"))) {
      assertThatThrownBy(
              () -> welcome.check(Map.of("name", bad, "verifyUrl", "https://v"), "variables"))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo("invalid_template_variable");
                assertThat(e.field()).contains("variables.name");
              });
    }
    welcome.check(Map.of("name", 42, "verifyUrl", "https://v", "extra", List.of("a")), "variables");
  }

  @Test
  void checkWhenValueOrTotalTooLargeThenTemplateVariablesTooLarge() {
    EmailTemplate welcome = builtIn.template("welcome", Optional.empty());
    String big = "x".repeat(EmailTemplate.MAX_VALUE_BYTES + 1);
    Map<String, Object> many =
        new java.util.HashMap<>(Map.of("name", "Ann", "verifyUrl", "https://v"));
    for (int i = 0; i < 8; i++) {
      many.put("v" + i, "y".repeat(EmailTemplate.MAX_VALUE_BYTES));
    }

    assertThatThrownBy(
            () -> welcome.check(Map.of("name", big, "verifyUrl", "https://v"), "variables"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo("template_variables_too_large");
              assertThat(e.field()).contains("variables.name");
            });
    assertThatThrownBy(() -> welcome.check(many, "variables"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.code()).isEqualTo("template_variables_too_large"));
  }

  @Test
  void templateWhenUnknownOrNotAnIdThenUnknownTemplate() {
    for (String id : List.of("nope", "../welcome", "Welcome", "", "_layout/..")) {
      assertThatThrownBy(() -> builtIn.template(id, Optional.empty()))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo("unknown_template");
                assertThat(e.field()).contains("template");
              });
    }
    assertThatThrownBy(() -> builtIn.template("welcome", Optional.of("not a locale")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).contains("locale"));
  }

  @Test
  void templateWhenOverriddenInDirectoryThenDirectoryWinsAndEditsApplyWithoutRestart()
      throws Exception {
    Path welcome = Files.createDirectories(dir.resolve("welcome"));
    Files.writeString(welcome.resolve("template.properties"), "required=name\n");
    Files.writeString(welcome.resolve("subject.mustache"), "Hello {{name}}");
    Files.writeString(welcome.resolve("text.mustache"), "text {{name}}");
    Files.writeString(welcome.resolve("html.mustache"), "<p>{{name}}</p>");
    EmailTemplates templates = new EmailTemplates(Optional.of(dir));

    EmailTemplate first = templates.template("welcome", Optional.empty());
    assertThat(first.requiredVariables()).containsExactly("name");
    assertThat(first.render(Map.of("name", "A&B")).html()).contains("<p>A&amp;B</p>");

    Files.writeString(welcome.resolve("subject.mustache"), "Changed {{name}}!");
    Files.setLastModifiedTime(welcome.resolve("subject.mustache"), FileTime.fromMillis(1_000_000));
    assertThat(
            templates.template("welcome", Optional.empty()).render(Map.of("name", "A")).subject())
        .isEqualTo("Changed A!");
    assertThat(templates.template("password-reset", Optional.empty()).requiredVariables())
        .contains("resetUrl");
  }

  @Test
  void templateWhenAddedInDirectoryWithLocaleAndLayoutThenUsed() throws Exception {
    Path invite = Files.createDirectories(dir.resolve("invite").resolve("pt-BR"));
    Files.writeString(dir.resolve("invite/subject.mustache"), "Join {{team}}");
    Files.writeString(dir.resolve("invite/text.mustache"), "Join {{team}}");
    Files.writeString(dir.resolve("invite/html.mustache"), "<b>{{team}}</b>");
    Files.writeString(invite.resolve("subject.mustache"), "Entre em {{team}}");
    Files.createDirectories(dir.resolve("_layout"));
    Files.writeString(
        dir.resolve("_layout/html.mustache"), "<main lang=\"{{lang}}\">{{{content}}}</main>");
    EmailTemplates templates = new EmailTemplates(Optional.of(dir));

    RenderedEmail mail =
        templates.template("invite", Optional.of("pt-BR")).render(Map.of("team", "<Ops>"));

    assertThat(mail.subject()).isEqualTo("Entre em <Ops>");
    assertThat(mail.text()).isEqualTo("Join <Ops>");
    assertThat(mail.html()).isEqualTo("<main lang=\"pt-BR\"><b>&lt;Ops&gt;</b></main>");
    assertThat(templates.template("invite", Optional.empty()).requiredVariables()).isEmpty();
  }
}
