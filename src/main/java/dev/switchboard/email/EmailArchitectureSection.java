package dev.switchboard.email;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Markdown;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Chapter 3 of the architecture document: the sending provider, its variables, the templates and
 * delivery events.
 */
class EmailArchitectureSection implements ArchitectureSection {

  private static final Map<String, String> PROVIDER_NAMES =
      Map.of(
          "sendgrid",
          "SendGrid",
          "postmark",
          "Postmark",
          "resend",
          "Resend",
          "smtp",
          "SMTP",
          "outbox",
          "Dev outbox");

  private final SwitchboardConfig config;

  EmailArchitectureSection(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public int order() {
    return 30;
  }

  @Override
  public String chapter() {
    return "Email Service Integration";
  }

  @Override
  public List<Check> healthChecks() {
    String endpoint =
        switch (config.area(EmailConfig.class).provider()) {
          case "sendgrid" -> "GET /v3/scopes";
          case "postmark" -> "GET /server";
          case "resend" -> "GET /domains";
          case "smtp" -> "connect + NOOP";
          default -> "outbox table (local)";
        };
    return List.of(new Check("email", endpoint, EmailConfiguration.HEALTH_INTERVAL));
  }

  @Override
  public List<Part> parts(Context context) {
    EmailConfig email = config.area(EmailConfig.class);
    String provider = email.provider();
    String name = PROVIDER_NAMES.getOrDefault(provider, provider);
    List<List<String>> settings =
        new ArrayList<>(
            List.of(
                List.of(
                    "Provider",
                    name
                        + (provider.equals("outbox")
                            ? " (dev: mail is kept and shown on the dashboard, nothing is delivered)"
                            : "")),
                List.of("API", api(email)),
                List.of("From Address", email.from()),
                List.of("Rate limit", email.rateLimit() + " (`EMAIL_RATE_LIMIT`)"),
                List.of(
                    "Fallback provider",
                    email
                        .fallbackProvider()
                        .map(f -> PROVIDER_NAMES.getOrDefault(f, f))
                        .orElse("none")),
                List.of("Templates directory", templatesDir().toString())));
    if (!provider.equals("outbox") && !provider.equals("smtp")) {
      settings.add(
          List.of(
              "Delivery webhook",
              config.core().publicUrl()
                  + "/api/webhooks/email/"
                  + provider
                  + (webhookVerified(email, provider)
                      ? " (signature verified)"
                      : " (not configured)")));
    }
    StringBuilder env = new StringBuilder("EMAIL_PROVIDER=" + provider + "\n");
    email
        .sendgridApiKey()
        .ifPresent(s -> env.append("SENDGRID_API_KEY=").append(s.masked()).append('\n'));
    email
        .postmarkServerToken()
        .ifPresent(s -> env.append("POSTMARK_SERVER_TOKEN=").append(s.masked()).append('\n'));
    email
        .resendApiKey()
        .ifPresent(s -> env.append("RESEND_API_KEY=").append(s.masked()).append('\n'));
    email.smtpUrl().ifPresent(s -> env.append("SMTP_URL=").append(s.maskedUrl()).append('\n'));
    if (provider.equals("outbox")) {
      env.append(
          "# to deliver mail: EMAIL_PROVIDER=sendgrid and SENDGRID_API_KEY=SG.xxxxx (or postmark, resend, smtp)\n");
    }
    env.append("EMAIL_FROM=").append(email.from());
    List<List<String>> templates =
        templates().entrySet().stream()
            .map(e -> List.of(e.getKey(), e.getValue()[0], e.getValue()[1]))
            .toList();
    String body =
        "**Purpose:** Transactional email delivery\n\n"
            + "**Configuration:**\n"
            + Markdown.settings(settings)
            + "\n"
            + "**Environment Variables:**\n"
            + Markdown.code("bash", env.toString())
            + "\n"
            + "**Email Templates:**\n"
            + Markdown.table(List.of("Template", "Trigger", "Variables"), templates)
            + "\n"
            + "**Implementation:**\n"
            + Markdown.code(
                "bash",
                "curl -H \"Authorization: Bearer $SWITCHBOARD_API_KEY\" "
                    + "-H 'Content-Type: application/json' \\\n  -d '{\"template\":\"welcome\",\"to\":\"ann@example.com\","
                    + "\"variables\":{\"name\":\"Ann\",\"verifyUrl\":\"…\"}}' "
                    + config.core().publicUrl()
                    + "/api/email/send")
            + "\n**Rate Limits:**\n"
            + "- "
            + email.rateLimit()
            + " sent to "
            + name
            + "; the excess waits in the durable queue\n"
            + "- Provider 429 and 5xx answers are retried with backoff, honouring `Retry-After`\n";
    return List.of(new Part(name, body));
  }

  private static boolean webhookVerified(EmailConfig email, String provider) {
    return switch (provider) {
      case "sendgrid" -> email.webhooks().sendgridPublicKey().isPresent();
      case "postmark" -> email.webhooks().postmarkCredentials().isPresent();
      case "resend" -> !email.webhooks().resendSecrets().isEmpty();
      default -> false;
    };
  }

  private static String api(EmailConfig email) {
    return switch (email.provider()) {
      case "sendgrid" -> email.endpoints().sendgrid() + " (v3 Mail Send)";
      case "postmark" -> email.endpoints().postmark() + " (/email)";
      case "resend" -> email.endpoints().resend() + " (/emails)";
      case "smtp" -> email.smtpUrl().map(Secret::maskedUrl).orElse("SMTP");
      default -> "none (local outbox)";
    };
  }

  private Path templatesDir() {
    return config
        .area(EmailConfig.class)
        .templatesDir()
        .orElse(config.core().dataDir().resolve("email-templates"))
        .toAbsolutePath()
        .normalize();
  }

  /**
   * Template id to {trigger, required variables}: built-in ones, then the operator's, which replace
   * them.
   */
  private Map<String, String[]> templates() {
    Map<String, String[]> out = new TreeMap<>();
    try {
      Resource[] builtIn =
          new PathMatchingResourcePatternResolver(getClass().getClassLoader())
              .getResources(
                  "classpath*:" + EmailTemplates.CLASSPATH_ROOT + "*/template.properties");
      for (Resource r : builtIn) {
        String path = r.getURL().toString();
        String folder = path.substring(0, path.lastIndexOf('/'));
        String id = folder.substring(folder.lastIndexOf('/') + 1);
        try (InputStream in = r.getInputStream()) {
          out.put(id, describe(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
      }
      Path dir = templatesDir();
      if (Files.isDirectory(dir)) {
        try (Stream<Path> folders = Files.list(dir)) {
          for (Path folder : folders.filter(Files::isDirectory).toList()) {
            Path props = folder.resolve("template.properties");
            String id = folder.getFileName().toString();
            if (!id.startsWith("_") && Files.isRegularFile(folder.resolve("subject.mustache"))) {
              out.put(
                  id,
                  Files.isRegularFile(props)
                      ? describe(Files.readString(props))
                      : new String[] {"your template", ""});
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The first comment of {@code template.properties} says when it is sent; {@code required=} lists
   * variables.
   */
  private static String[] describe(String properties) {
    StringBuilder trigger = new StringBuilder();
    Optional<String> required = Optional.empty();
    for (String line : properties.split("\\R")) {
      String t = line.strip();
      if (t.startsWith("#") && required.isEmpty()) {
        trigger.append(trigger.isEmpty() ? "" : " ").append(t.substring(1).strip());
      } else if (t.startsWith("required")) {
        required = Optional.of(t.substring(t.indexOf('=') + 1).strip().replace(",", ", "));
      }
    }
    return new String[] {trigger.toString(), required.orElse("")};
  }
}
