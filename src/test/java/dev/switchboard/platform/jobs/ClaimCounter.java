package dev.switchboard.platform.jobs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that counts the claim statements run through it, per job type bound as one of their
 * parameters: how often a worker asked the database for jobs of a type.
 */
final class ClaimCounter {

  private final ConcurrentHashMap<String, AtomicInteger> claims = new ConcurrentHashMap<>();
  private final DataSource counting;

  ClaimCounter(DataSource target) {
    this.counting =
        proxy(
            DataSource.class,
            target,
            (method, args, result) ->
                method.getName().equals("getConnection")
                    ? connection((Connection) result)
                    : result);
  }

  DataSource dataSource() {
    return counting;
  }

  /** Claim statements so far that named {@code type}. */
  int claimsOf(String type) {
    AtomicInteger n = claims.get(type);
    return n == null ? 0 : n.get();
  }

  private Connection connection(Connection raw) {
    return proxy(
        Connection.class,
        raw,
        (method, args, result) ->
            method.getName().equals("prepareStatement")
                    && ((String) args[0]).contains("status = 'running'")
                ? claim((PreparedStatement) result)
                : result);
  }

  private PreparedStatement claim(PreparedStatement raw) {
    java.util.Set<String> types = ConcurrentHashMap.newKeySet();
    return proxy(
        PreparedStatement.class,
        raw,
        (method, args, result) -> {
          String name = method.getName();
          if ((name.equals("setString") || name.equals("setObject"))
              && args[1] instanceof String s
              && s.startsWith("test.")) {
            types.add(s);
          } else if (name.startsWith("execute")) {
            types.forEach(
                t -> claims.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet());
            types.clear();
          }
          return result;
        });
  }

  private interface After {
    Object apply(java.lang.reflect.Method method, Object[] args, Object result) throws Exception;
  }

  private static <T> T proxy(Class<T> type, T target, After after) {
    return type.cast(
        Proxy.newProxyInstance(
            ClaimCounter.class.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> {
              Object result;
              try {
                result = method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              return after.apply(method, args, result);
            }));
  }
}
