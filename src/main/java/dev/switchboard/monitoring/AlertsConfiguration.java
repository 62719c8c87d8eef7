package dev.switchboard.monitoring;

import dev.switchboard.email.EmailService;
import dev.switchboard.monitoring.pagerduty.PagerDutyAlertNotifier;
import dev.switchboard.monitoring.slack.SlackAlertNotifier;
import dev.switchboard.platform.config.DeploymentMode;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Alerts: the rules' sources, the incident engine, the channels (PagerDuty, Slack, email; picked by
 * which variables are set), their boxes on the integration map, the secrets box, and the status
 * page.
 */
@Import({
  AlertNotifyJob.class,
  AlertsArchitectureSection.class,
  HealthHistory.class,
  JdbcAlertStore.class
})
@Configuration(proxyBeanMethods = false)
public class AlertsConfiguration {

  /** Where alerts go in development when no recipient is configured: the dev outbox only. */
  static final String DEV_RECIPIENT = "alerts@switchboard.test";

  static final String SECRETS_ID = "secrets";
  static final Duration CHANNEL_CHECK_INTERVAL = Duration.ofMinutes(1);

  @Bean
  HealthStreaks healthStreaks(SwitchboardConfig config, List<Integration> integrations) {
    Set<String> watched =
        integrations.stream()
            .map(Integration::id)
            .filter(id -> !id.startsWith("alerts.") && !id.equals(SECRETS_ID))
            .collect(Collectors.toSet());
    return new HealthStreaks(
        config.area(AlertsConfig.class).rules().downAfter(),
        config.area(AlertsConfig.class).rules().upAfter(),
        watched);
  }

  @Bean
  OutboundTraffic outboundTraffic(SwitchboardConfig config, Clock clock) {
    return new OutboundTraffic(clock, keep(config.area(AlertsConfig.class).rules()));
  }

  @Bean
  RateUsage rateUsage(SwitchboardConfig config, Clock clock) {
    return new RateUsage(clock, keep(config.area(AlertsConfig.class).rules()));
  }

  /** Every rate-limit bucket's use is counted, whichever area takes permits. */
  @Bean
  static BeanPostProcessor rateLimiterMeter(ObjectProvider<RateUsage> usage) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof RateLimiter limiter ? usage.getObject().meter(limiter) : bean;
      }
    };
  }

  @Bean
  SecretAges secretAges(AlertStore store, SwitchboardConfig config) {
    return new SecretAges(store, config, config.area(AlertsConfig.class).rules());
  }

  @Bean
  AlertChannels alertChannels(SwitchboardConfig config, OutboundHttp http, EmailService email) {
    AlertsConfig alerts = config.area(AlertsConfig.class);
    List<AlertNotifier> notifiers = new ArrayList<>();
    String publicUrl = config.core().publicUrl().toString();
    alerts
        .pagerdutyRoutingKey()
        .ifPresent(
            key ->
                notifiers.add(
                    new PagerDutyAlertNotifier(
                        key,
                        alerts.pagerdutyUrl(),
                        config.core().publicUrl().getHost(),
                        publicUrl + "/admin/alerts",
                        http)));
    alerts.slackWebhookUrl().ifPresent(url -> notifiers.add(new SlackAlertNotifier(url, http)));
    List<String> recipients = recipients(config);
    if (!recipients.isEmpty()) {
      notifiers.add(new EmailAlertNotifier(email, recipients));
    }
    return new AlertChannels(notifiers);
  }

  @Bean
  AlertDispatcher alertDispatcher(
      AlertStore store,
      JobQueue jobs,
      PlatformTransactionManager transactions,
      AlertChannels channels,
      SwitchboardConfig config) {
    return new AlertDispatcher(
        store,
        jobs,
        new TransactionTemplate(transactions),
        channels,
        config.core().mode().id(),
        incidentIds());
  }

  @Bean
  AlertEngine alertEngine(
      HealthStreaks health,
      OutboundTraffic traffic,
      RateUsage usage,
      ErrorStore errors,
      SecretAges secrets,
      JobQueue jobs,
      AlertStore store,
      AlertDispatcher dispatcher,
      SwitchboardConfig config,
      Clock clock) {
    AlertsConfig.Rules rules = config.area(AlertsConfig.class).rules();
    List<AlertSource> sources =
        List.of(
            health,
            new ErrorRateSource(traffic, errors, rules),
            new RateLimitSource(usage, traffic, rules),
            secrets,
            new DeadJobsSource(jobs));
    return new AlertEngine(sources, store, dispatcher, health, rules, clock);
  }

  @Bean
  AlertCatalog alertCatalog(SwitchboardConfig config, AlertChannels channels, AlertStore store) {
    AlertsConfig alerts = config.area(AlertsConfig.class);
    Map<AlertChannel, String> targets = new EnumMap<>(AlertChannel.class);
    alerts
        .pagerdutyRoutingKey()
        .ifPresent(
            k ->
                targets.put(
                    AlertChannel.PAGERDUTY,
                    "routing key " + k.masked() + " → " + alerts.pagerdutyUrl().getHost()));
    alerts.slackWebhookUrl().ifPresent(u -> targets.put(AlertChannel.SLACK, u.maskedUrl()));
    List<String> recipients = recipients(config);
    if (!recipients.isEmpty()) {
      targets.put(
          AlertChannel.EMAIL,
          String.join(", ", recipients)
              + (alerts.emailTo().isEmpty() ? " (fallback: ALERT_EMAIL_TO not set)" : ""));
    }
    return new AlertCatalog(alerts, channels, store, targets);
  }

  @Bean
  AlertService alertService(
      AlertStore store, AlertDispatcher dispatcher, AlertCatalog catalog, Clock clock) {
    return new AlertService(store, dispatcher, catalog, clock, incidentIds());
  }

  @Bean
  StatusPage statusPage(HealthMonitor monitor, AlertStore store, Clock clock) {
    Set<String> hidden =
        monitor.integrations().stream()
            .map(Integration::id)
            .filter(id -> id.startsWith("alerts.") || id.equals(SECRETS_ID))
            .collect(Collectors.toSet());
    return new StatusPage(monitor, store, clock, hidden);
  }

  @Bean
  Integration pagerdutyChannelIntegration(AlertCatalog catalog) {
    return channelBox(catalog, AlertChannel.PAGERDUTY, "pagerduty");
  }

  @Bean
  Integration slackChannelIntegration(AlertCatalog catalog) {
    return channelBox(catalog, AlertChannel.SLACK, "slack");
  }

  @Bean
  Integration emailChannelIntegration(AlertCatalog catalog) {
    return channelBox(catalog, AlertChannel.EMAIL, "email");
  }

  /**
   * The secrets box: up while every secret is younger than the warning age, degraded naming the
   * ones due.
   */
  @Bean
  Integration secretsIntegration(SecretAges ages, SwitchboardConfig config, Clock clock) {
    AlertsConfig.Rules rules = config.area(AlertsConfig.class).rules();
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("SECRET_ROTATION_DAYS", Integer.toString(rules.secretMaxAgeDays()));
    shown.put("SECRET_ROTATION_WARN_DAYS", Integer.toString(rules.secretWarnDays()));
    shown.put(
        "watched",
        ages.names().isEmpty() ? "(no secret configured)" : String.join(", ", ages.names()));
    return new Integration(
        SECRETS_ID,
        "monitoring",
        "fingerprints",
        Integration.Mode.LIVE,
        true,
        shown,
        Map.of(),
        () -> {
          List<SecretAges.Age> all = ages.ages(clock.instant());
          List<String> due =
              all.stream()
                  .filter(SecretAges.Age::due)
                  .map(a -> a.name() + " (" + a.days() + " days, rotate by " + a.rotateBy() + ")")
                  .toList();
          if (!due.isEmpty()) {
            return HealthResult.degraded("rotation due: " + String.join(", ", due));
          }
          long oldest = all.stream().mapToLong(SecretAges.Age::days).max().orElse(0);
          return HealthResult.up(all.size() + " secrets watched, oldest " + oldest + " days");
        },
        Duration.ofMinutes(10),
        Integration.DEFAULT_TIMEOUT);
  }

  static Integration channelBox(AlertCatalog catalog, AlertChannel channel, String provider) {
    AlertCatalog.ChannelStatus initial = catalog.status(channel);
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put(initial.variable(), initial.target());
    return new Integration(
        "alerts." + channel.id(),
        "monitoring",
        initial.configured() ? provider : "off",
        initial.configured() ? Integration.Mode.LIVE : Integration.Mode.DEV,
        initial.configured(),
        shown,
        Map.of(),
        () -> {
          AlertCatalog.ChannelStatus s = catalog.status(channel);
          String last =
              s.lastDelivery()
                  .map(at -> "last delivery " + at + ": " + s.lastDetail())
                  .orElse("no delivery yet");
          return switch (s.state()) {
            case "not_configured" -> HealthResult.up("not configured; set " + s.variable());
            case "broken" -> HealthResult.down("broken, not retried: " + last);
            case "failing" -> HealthResult.degraded("failing, retried: " + last);
            default -> HealthResult.up(last);
          };
        },
        CHANNEL_CHECK_INTERVAL,
        Integration.DEFAULT_TIMEOUT);
  }

  /** ALERT_EMAIL_TO, else the admins' addresses, else (development only) the dev outbox. */
  static List<String> recipients(SwitchboardConfig config) {
    if (!config.area(AlertsConfig.class).emailTo().isEmpty()) {
      return config.area(AlertsConfig.class).emailTo();
    }
    if (!config.core().adminEmails().isEmpty()) {
      return config.core().adminEmails();
    }
    return config.core().mode() == DeploymentMode.DEVELOPMENT ? List.of(DEV_RECIPIENT) : List.of();
  }

  private static Duration keep(AlertsConfig.Rules rules) {
    Duration longest =
        rules.errorWindow().compareTo(rules.rateLimitFor()) > 0
            ? rules.errorWindow()
            : rules.rateLimitFor();
    return longest.plusMinutes(1);
  }

  private static Supplier<String> incidentIds() {
    SecureRandom random = new SecureRandom();
    return () -> {
      byte[] bytes = new byte[12];
      random.nextBytes(bytes);
      return "inc_" + HexFormat.of().formatHex(bytes);
    };
  }
}
