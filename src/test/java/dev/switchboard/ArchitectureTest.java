package dev.switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.switchboard.platform.config.ConfigArea;
import dev.switchboard.platform.config.ConfigReader;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.http.CallerGuard;
import dev.switchboard.platform.outbound.OutboundHttp;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;

/**
 * Keeps the arrows of the README's layout section pointing one way: provider subpackage → area root
 * → platform.
 */
class ArchitectureTest {

  static final List<String> AREAS =
      List.of("auth", "email", "payments", "storage", "analytics", "monitoring");
  static final String BASE = "dev.switchboard.";

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Spring AOT's generated bean definitions (Xxx__BeanDefinitions, ...) that mvn package
            // writes beside our classes reference every bean's class by design; they are not ours.
            .withImportOption(location -> !location.contains("__"))
            .importPackages("dev.switchboard");
  }

  @Test
  void platformWhenCompiledThenDependsOnNoArea() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(BASE + "platform..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(AREAS.stream().map(a -> BASE + a + "..").toArray(String[]::new))
            .allowEmptyShould(true);
    rule.check(classes);
  }

  /**
   * The kernel reads only its own variables: an area's configuration record, its variables and its
   * validation live in the area and register as a {@link ConfigArea}. Outside {@code CoreConfig}
   * and {@code DatabaseConfig}, nothing in the platform reads a variable.
   */
  @Test
  void areaConfigurationWhenReadThenNotInPlatform() {
    classes()
        .that()
        .implement(ConfigArea.class)
        .should()
        .resideOutsideOfPackage(BASE + "platform..")
        .allowEmptyShould(true)
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage(BASE + "platform..")
        .and()
        .doNotHaveFullyQualifiedName(CoreConfig.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(DatabaseConfig.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(ConfigReader.class.getName())
        .should()
        .callMethodWhere(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "ConfigReader reads a variable",
                call ->
                    call.getTargetOwner().isEquivalentTo(ConfigReader.class)
                        && READS.contains(call.getName())))
        .allowEmptyShould(true)
        .check(classes);
  }

  /** The {@link ConfigReader} methods that read a variable (not the ones that report problems). */
  static final Set<String> READS =
      Set.of(
          "string",
          "secret",
          "oneOf",
          "port",
          "count",
          "fraction",
          "rate",
          "duration",
          "url",
          "secretUrl",
          "list",
          "parseUrl",
          "companions");

  @Test
  void areasWhenCompiledThenFreeOfCycles() {
    slices()
        .matching(BASE + "(*)..")
        .should()
        .beFreeOfCycles()
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void areaWhenCompiledThenNeverUsesAnotherAreasProviderSubpackage() {
    classes().should(useAnotherAreasProvider()).allowEmptyShould(true).check(classes);
  }

  @Test
  void areaRootWhenNotItsConfigurationThenDoesNotUseItsProviders() {
    classes()
        .that()
        .haveSimpleNameNotEndingWith("Configuration")
        .should(useOwnProviderFromAreaRoot())
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void vendorSdksWhenUsedThenOnlyInTheirProviderSubpackage() {
    vendorOnlyIn("io.sentry..", BASE + "monitoring.sentry..");
    vendorOnlyIn("com.stripe..", BASE + "payments.stripe..");
    vendorOnlyIn("software.amazon..", BASE + "storage.s3..");
    vendorOnlyIn("com.paypal..", BASE + "payments.paypal..");
  }

  @Test
  void routesWhenCompiledThenNoSqlInThem() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Routes")
        .or()
        .haveSimpleNameEndingWith("Controller")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.jdbc..", "java.sql..", "javax.sql..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void paymentProvidersWhenCompiledThenEachInItsOwnFolder() {
    // Nested types go with their enclosing class (PaymentsConfig.PayPal, the PayPal settings).
    noClasses()
        .that()
        .resideInAPackage(BASE + "payments")
        .and()
        .areTopLevelClasses()
        .should()
        .haveSimpleNameStartingWith("Stripe")
        .orShould()
        .haveSimpleNameStartingWith("PayPal")
        .check(classes);
  }

  /**
   * A provider uses the area's ports, not another provider; the dev checkout stands in for Stripe,
   * so may use it.
   */
  @Test
  void paymentProvidersWhenCompiledThenUseOnlyTheAreaRootNotEachOther() {
    noClasses()
        .that()
        .resideInAPackage(BASE + "payments.stripe..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(BASE + "payments.paypal..", BASE + "payments.dev..")
        .allowEmptyShould(true)
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage(BASE + "payments.paypal..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(BASE + "payments.stripe..", BASE + "payments.dev..")
        .allowEmptyShould(true)
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage(BASE + "payments.dev..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + "payments.paypal..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void providerCodeWhenNamedAfterAProviderThenInThatProvidersSubpackage() {
    Set<String> providers =
        classes.stream()
            .map(ArchitectureTest::parts)
            .filter(p -> p.length >= 2 && AREAS.contains(p[0]))
            .map(p -> p[1])
            .collect(Collectors.toSet());
    classes()
        .should(
            new ArchCondition<>("sit in its provider's subpackage when named after a provider") {
              @Override
              public void check(JavaClass c, ConditionEvents events) {
                String[] p = parts(c);
                String name = c.getSimpleName().toLowerCase(Locale.ROOT);
                // Nested classes (a configuration's conditions) go with their enclosing class.
                if (p.length == 1
                    && AREAS.contains(p[0])
                    && c.getEnclosingClass().isEmpty()
                    && providers.stream().anyMatch(name::startsWith)) {
                  events.add(
                      SimpleConditionEvent.violated(
                          c, c.getName() + " belongs in its provider's subpackage"));
                }
              }
            })
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void callerWhenDecidedThenOnlyByTheCallerGuard() {
    // ErrorContext only labels an error report with the caller; it refuses nothing.
    noClasses()
        .that()
        .resideOutsideOfPackage(BASE + "platform.http")
        .and()
        .doNotHaveFullyQualifiedName(BASE + "monitoring.ErrorContext")
        .should()
        .callMethod(Caller.class, "kind")
        .allowEmptyShould(true)
        .check(classes);
    methods()
        .that()
        .haveName("bearerToken")
        .should()
        .beDeclaredIn(CallerGuard.class)
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void providerHttpWhenCalledThenThroughProviderCall() {
    // Payments' PayPal adapter moves onto ProviderCall with the payments refactor; drop its
    // exemption then.
    noClasses()
        .that()
        .resideOutsideOfPackages(BASE + "platform.outbound..", BASE + "payments..")
        .should()
        .callMethodWhere(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "OutboundHttp.send…",
                call ->
                    call.getTargetOwner().isEquivalentTo(OutboundHttp.class)
                        && call.getName().startsWith("send")))
        .allowEmptyShould(true)
        .check(classes);
  }

  /**
   * One wiring style: routes and their advice ({@code @RestController}, {@code @Controller},
   * {@code @RestControllerAdvice}) are found by scanning; every other bean is declared by its
   * package's {@code …Configuration}, in its {@code @Import} or as a {@code @Bean} method.
   */
  @Test
  void beansWhenNotRoutesThenDeclaredInAConfigurationNotScanned() {
    noClasses()
        .should()
        .beAnnotatedWith(Component.class)
        .orShould()
        .beAnnotatedWith(Service.class)
        .orShould()
        .beAnnotatedWith(Repository.class)
        .check(classes);
  }

  /**
   * Transactions are explicit ({@code TransactionTemplate}, group commits): no bean is proxied for
   * {@code @Transactional} (platform.db.TransactionEventsConfiguration stands in for
   * {@code @EnableTransactionManagement}), so the annotation would silently do nothing.
   */
  @Test
  void transactionsWhenNeededThenExplicitNotAnnotated() {
    noClasses()
        .should()
        .beAnnotatedWith(org.springframework.transaction.annotation.Transactional.class)
        .orShould()
        .beAnnotatedWith("jakarta.transaction.Transactional")
        .check(classes);
    methods()
        .should()
        .notBeAnnotatedWith(org.springframework.transaction.annotation.Transactional.class)
        .andShould()
        .notBeAnnotatedWith("jakarta.transaction.Transactional")
        .check(classes);
  }

  /**
   * Stores take the application's shared {@link JdbcClient} (and its {@code JdbcTemplate} where
   * they batch) instead of making their own from the {@code DataSource}. Exempt: the {@code keys}
   * command, which runs without the application context; the database health check, whose client
   * carries its own query timeout; and the two stores that need the {@code DataSource} itself and
   * build their client on that same one: the job store keeps its own transaction manager on the
   * source it is given (its contract tests give it failing and rewriting sources), and the
   * analytics store writes a group's multi-row inserts on the transaction's raw connection.
   */
  @Test
  void storesWhenTheyQueryThenThroughTheSharedJdbcClient() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(BASE + "platform.apikeys.ApiKeyCli")
        .and()
        .doNotHaveFullyQualifiedName(BASE + "monitoring.DatabaseHealthCheck")
        .and()
        .doNotHaveFullyQualifiedName(BASE + "platform.jobs.JdbcJobStore")
        .and()
        .doNotHaveFullyQualifiedName(BASE + "analytics.JdbcAnalyticsEventStore")
        .should()
        .callMethodWhere(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "JdbcClient.create",
                call ->
                    call.getTargetOwner().isEquivalentTo(JdbcClient.class)
                        && call.getName().equals("create")))
        .orShould()
        .callConstructor(JdbcTemplate.class, DataSource.class)
        .check(classes);
  }

  private static void vendorOnlyIn(String vendor, String home) {
    noClasses()
        .that()
        .resideOutsideOfPackage(home)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(vendor)
        .allowEmptyShould(true)
        .check(classes);
  }

  /**
   * {@code dev.switchboard.email.sendgrid.X} → ["email", "sendgrid"]; platform and the root give
   * shorter lists.
   */
  static String[] parts(JavaClass c) {
    String p = c.getPackageName();
    return p.startsWith(BASE) ? p.substring(BASE.length()).split("\\.") : new String[0];
  }

  private static ArchCondition<JavaClass> useAnotherAreasProvider() {
    return new ArchCondition<>("use another area's provider subpackage") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String[] from = parts(origin);
        origin
            .getDirectDependenciesFromSelf()
            .forEach(
                d -> {
                  String[] to = parts(d.getTargetClass());
                  boolean targetIsProvider = to.length >= 2 && AREAS.contains(to[0]);
                  boolean sameArea = from.length >= 1 && to.length >= 1 && from[0].equals(to[0]);
                  if (targetIsProvider && !sameArea) {
                    events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                  }
                });
      }
    };
  }

  private static ArchCondition<JavaClass> useOwnProviderFromAreaRoot() {
    return new ArchCondition<>("use a provider subpackage of its own area from the area root") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String[] from = parts(origin);
        if (from.length != 1 || !AREAS.contains(from[0])) {
          return;
        }
        origin
            .getDirectDependenciesFromSelf()
            .forEach(
                d -> {
                  String[] to = parts(d.getTargetClass());
                  if (to.length >= 2 && to[0].equals(from[0])) {
                    events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                  }
                });
      }
    };
  }
}
