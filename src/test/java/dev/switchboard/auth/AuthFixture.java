package dev.switchboard.auth;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.testing.ManualClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The auth area's real components on a private in-memory H2 database with the real migrations and a
 * manual clock: fast enough for unit tests, and the SQL is the one that runs in production.
 */
final class AuthFixture {

  static final String ISSUER = "https://auth.example.test";

  final ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
  final JdbcClient jdbc;
  final TransactionTemplate transactions;
  final JdbcAccounts accounts;
  final JdbcSessionStore sessionStore;
  final JdbcSigningKeyStore keyStore;

  /** While set, the signing keys' store fails like a database that cannot be reached. */
  final AtomicBoolean keyStoreDown = new AtomicBoolean();

  final JdbcMailedTokens mailedTokens;
  final KeyEncryption encryption =
      new KeyEncryption(Secret.of("test-secret-test-secret-test-secret-0123"));
  final SigningKeys keys;
  final AccessTokens tokens;
  final AdminRoles roles = new AdminRoles(List.of("boss@example.com"));
  final Sessions sessions;
  final List<Object> events = new ArrayList<>();
  final AccountLinker linker;

  /**
   * SQL statements prepared on the fixture's database so far: the refresh path's round trips are a
   * budget.
   */
  final AtomicInteger statements = new AtomicInteger();

  /** Times a statement was asked for its parameters' types. */
  final AtomicInteger parameterTypeLookups = new AtomicInteger();

  /** The text of every statement prepared so far, in order. */
  final List<String> prepared = Collections.synchronizedList(new ArrayList<>());

  AuthFixture() {
    DataSource ds =
        counting(
            new DriverManagerDataSource(
                "jdbc:h2:mem:auth-"
                    + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "sa",
                ""));
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(ds);
    transactions = new TransactionTemplate(new DataSourceTransactionManager(ds));
    accounts = new JdbcAccounts(jdbc, clock);
    sessionStore = new JdbcSessionStore(jdbc, new JdbcTemplate(ds));
    keyStore = new JdbcSigningKeyStore(jdbc);
    mailedTokens = new JdbcMailedTokens(jdbc, clock);
    keys =
        new SigningKeys(
            failable(keyStore),
            encryption,
            transactions,
            clock,
            AccessTokens.LIFETIME,
            SigningKeys.RELOAD);
    tokens = new AccessTokens(keys, ISSUER, clock);
    sessions =
        new Sessions(
            accounts, sessionStore, tokens, encryption, roles, transactions, events::add, clock);
    linker =
        new AccountLinker(
            accounts, sessions, mailedTokens, roles, transactions, events::add, clock);
  }

  private SigningKeyStore failable(SigningKeyStore target) {
    return (SigningKeyStore)
        Proxy.newProxyInstance(
            SigningKeyStore.class.getClassLoader(),
            new Class<?>[] {SigningKeyStore.class},
            (proxy, method, args) -> {
              if (keyStoreDown.get()) {
                throw new DataAccessResourceFailureException("signing keys unreachable (test)");
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private DataSource counting(DataSource target) {
    return new DelegatingDataSource(target) {
      @Override
      public Connection getConnection() throws SQLException {
        Connection c = super.getConnection();
        return (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().startsWith("prepare")
                      || method.getName().equals("createStatement")) {
                    statements.incrementAndGet();
                    if (args != null && args.length > 0 && args[0] instanceof String sql) {
                      prepared.add(sql);
                    }
                  }
                  Object result;
                  try {
                    result = method.invoke(c, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  return result instanceof PreparedStatement ps ? counting(ps) : result;
                });
      }
    };
  }

  /** Counts a statement's requests for its parameter types (a driver round trip on some). */
  private PreparedStatement counting(PreparedStatement target) {
    return (PreparedStatement)
        Proxy.newProxyInstance(
            PreparedStatement.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getParameterMetaData")) {
                parameterTypeLookups.incrementAndGet();
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  static ClientInfo client() {
    return new ClientInfo("203.0.113.7", "TestAgent/1.0");
  }
}
