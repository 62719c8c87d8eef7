package dev.switchboard.platform.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Process-wide settings: mode, where Switchboard is reached, where it keeps data, and the shared
 * stores.
 *
 * @param mode development or production
 * @param publicUrl where Switchboard itself is reached; callback, link and upload URLs are built
 *     from it
 * @param port the HTTP port
 * @param dataDir where the embedded database, local files and the dev API key live
 * @param database the database connection
 * @param redisUrl Redis for global rate limits, when several instances run
 * @param adminEmails accounts that get the admin role
 * @param redirectAllowlist app origins (and listed mobile custom schemes) allowed as redirect
 *     targets
 * @param adminApiKey a full-scope API key given by the operator
 * @param apiRateLimit inbound requests allowed per client (API key, user or address)
 * @param healthInterval how often each integration's health check runs
 * @param jobLease how long a worker reserves a claimed job; a job held by a crashed instance runs
 *     again after it
 * @param shutdownGrace how long a stopping instance gives its in-flight requests and running jobs
 *     to finish before it releases what is left and exits
 * @param heartbeatInterval how often this instance refreshes its row in the instances table; one
 *     that misses three is shown as stale
 * @param jobThreads jobs this instance runs at once ({@code SWITCHBOARD_JOB_THREADS})
 * @param jobBatch jobs the worker claims per query at most ({@code SWITCHBOARD_JOB_BATCH})
 * @param databasePoolSize connections this instance holds to the database ({@code
 *     DATABASE_POOL_SIZE})
 */
public record CoreConfig(
    DeploymentMode mode,
    URI publicUrl,
    int port,
    Path dataDir,
    DatabaseConfig database,
    Optional<Secret> redisUrl,
    List<String> adminEmails,
    List<URI> redirectAllowlist,
    Optional<Secret> adminApiKey,
    Rate apiRateLimit,
    Duration healthInterval,
    Duration jobLease,
    Duration shutdownGrace,
    Duration heartbeatInterval,
    int jobThreads,
    int jobBatch,
    int databasePoolSize) {

  /**
   * The worker renews leases every third of the lease and polls every second, so shorter leases
   * could lapse.
   */
  static final Duration MIN_JOB_LEASE = Duration.ofSeconds(3);

  /**
   * Connections kept for requests and the scheduled tasks beside the job worker's share: the pool
   * held 10 before the worker's concurrency could be set.
   */
  static final int REQUEST_CONNECTIONS = 10;

  static final int MAX_JOB_THREADS = 256;
  static final int MAX_JOB_BATCH = 1000;
  static final int MAX_POOL_SIZE = 1000;

  /** Jobs claimed per query by default. */
  static final int DEFAULT_JOB_BATCH = 10;

  /**
   * The job worker's threads by default: 4 on both databases. On PostgreSQL a job's commit waits
   * for the WAL flush (2.5-4 ms on the build machine's disk), and jobs whose handlers share their
   * commits ({@code platform/jobs/JobCommits}) commit together only when they run at the same time,
   * so more threads process webhook events faster there (docs/BENCHMARKS.md: 16 threads and claims
   * of 16 took sustained processing from ~300 to ~720 events/s). They are not the default: in the
   * whole suite with 16 threads by default, three instances' pools beside the tests' own exhausted
   * PostgreSQL's connections, and two instances sending a bulk mail (each thread may ask Redis for
   * the outbox's rate) fell back to memory rate limits. A deployment that needs the rate sets
   * {@code SWITCHBOARD_JOB_THREADS} (docs/jobs-and-outbound.md).
   */
  static final int DEFAULT_JOB_THREADS = 4;

  /**
   * The pool by default: the requests' share, plus one connection for every two job threads beyond
   * the default four (jobs whose handlers share their commits wait for them without a connection;
   * the others hold one only while they write). 10 at the default threads, as before the worker's
   * concurrency could be set.
   */
  static int defaultPoolSize(int jobThreads) {
    return REQUEST_CONNECTIONS + Math.max(0, jobThreads - DEFAULT_JOB_THREADS) / 2;
  }

  static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);
  static final Duration MAX_HEARTBEAT = Duration.ofMinutes(5);

  static CoreConfig load(ConfigReader r) {
    String env =
        r.oneOf(
            "SWITCHBOARD_ENV", List.of("development", "production"), "development", "environment");
    DeploymentMode mode =
        env.equals("production") ? DeploymentMode.PRODUCTION : DeploymentMode.DEVELOPMENT;
    int port = r.port("PORT", 8080);
    Path dataDir = Path.of(r.string("SWITCHBOARD_DATA_DIR", "./data")).toAbsolutePath().normalize();
    Optional<URI> publicUrl = r.url("SWITCHBOARD_PUBLIC_URL", List.of("http", "https"));
    if (mode == DeploymentMode.PRODUCTION) {
      if (!r.isSet("SWITCHBOARD_PUBLIC_URL")) {
        r.problem(
            "SWITCHBOARD_PUBLIC_URL",
            "required in production; set it to the https:// URL where Switchboard is reached");
      } else if (publicUrl.isPresent() && !"https".equalsIgnoreCase(publicUrl.get().getScheme())) {
        r.problem("SWITCHBOARD_PUBLIC_URL", "must be an https:// URL in production");
      }
    }
    URI effectivePublic =
        publicUrl
            .map(u -> URI.create(u.toString().replaceAll("/+$", "")))
            .orElse(URI.create("http://localhost:" + (port == 0 ? 8080 : port)));
    DatabaseConfig database = DatabaseConfig.load(r, dataDir);
    Optional<Secret> redis = r.secretUrl("REDIS_URL", List.of("redis", "rediss"));
    List<String> admins = r.list("SWITCHBOARD_ADMIN_EMAILS");
    for (String email : admins) {
      if (!email.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
        r.problem("SWITCHBOARD_ADMIN_EMAILS", "'" + email + "' is not an email address");
      }
    }
    List<URI> allowlist =
        r.list("SWITCHBOARD_REDIRECT_ALLOWLIST").stream()
            .map(entry -> allowlistEntry(r, entry))
            .flatMap(Optional::stream)
            .toList();
    Optional<Secret> adminKey = r.secret("SWITCHBOARD_ADMIN_API_KEY", 32);
    Rate apiRate = r.rate("SWITCHBOARD_API_RATE_LIMIT", "50/s");
    Duration interval = r.duration("SWITCHBOARD_HEALTH_INTERVAL", "30s");
    Duration lease = r.duration("SWITCHBOARD_JOB_LEASE", "5m");
    if (lease.compareTo(MIN_JOB_LEASE) < 0) {
      r.problem(
          "SWITCHBOARD_JOB_LEASE",
          "must be at least 3s, so running jobs can renew their lease in time");
      lease = MIN_JOB_LEASE;
    }
    Duration grace = shutdownGrace(r);
    Duration heartbeat = r.duration("SWITCHBOARD_HEARTBEAT_INTERVAL", "10s");
    if (heartbeat.compareTo(MIN_HEARTBEAT) < 0 || heartbeat.compareTo(MAX_HEARTBEAT) > 0) {
      r.problem(
          "SWITCHBOARD_HEARTBEAT_INTERVAL",
          "must be between 100ms and 5m; an instance that misses three heartbeats is shown as stale");
      heartbeat = Duration.ofSeconds(10);
    }
    int jobThreads = r.count("SWITCHBOARD_JOB_THREADS", DEFAULT_JOB_THREADS, 1, MAX_JOB_THREADS);
    int jobBatch = r.count("SWITCHBOARD_JOB_BATCH", DEFAULT_JOB_BATCH, 1, MAX_JOB_BATCH);
    int poolSize = r.count("DATABASE_POOL_SIZE", defaultPoolSize(jobThreads), 2, MAX_POOL_SIZE);
    return new CoreConfig(
        mode,
        effectivePublic,
        port,
        dataDir,
        database,
        redis,
        admins,
        allowlist,
        adminKey,
        apiRate,
        interval,
        lease,
        grace,
        heartbeat,
        jobThreads,
        jobBatch,
        poolSize);
  }

  /**
   * {@code SWITCHBOARD_SHUTDOWN_GRACE}, default 30 s: shared with {@link ShutdownGraceProperty},
   * which hands it to Spring before the context starts.
   */
  static Duration shutdownGrace(ConfigReader r) {
    Duration grace = r.duration("SWITCHBOARD_SHUTDOWN_GRACE", "30s");
    if (grace.compareTo(Duration.ofSeconds(1)) < 0) {
      r.problem(
          "SWITCHBOARD_SHUTDOWN_GRACE",
          "must be at least 1s, so requests already accepted can be answered");
      return Duration.ofSeconds(1);
    }
    return grace;
  }

  /**
   * Schemes a redirect must never use, even when listed: they run code or read local data in the
   * browser.
   */
  private static final Set<String> UNSAFE_SCHEMES =
      Set.of(
          "javascript", "data", "vbscript", "file", "about", "blob", "filesystem", "view-source");

  private static final Pattern CUSTOM_SCHEME =
      Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):(//[A-Za-z0-9._~-]*)?/?$");

  /**
   * An http(s) origin, or a mobile app's custom scheme ({@code com.example.app://} or {@code
   * myapp://callback}): custom schemes are allowed only when listed, since any app on the phone
   * could register an unlisted one.
   */
  private static Optional<URI> allowlistEntry(ConfigReader r, String entry) {
    Matcher custom = CUSTOM_SCHEME.matcher(entry);
    if (custom.matches()) {
      String scheme = custom.group(1).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        if (UNSAFE_SCHEMES.contains(scheme)) {
          r.problem(
              "SWITCHBOARD_REDIRECT_ALLOWLIST",
              "'" + entry + "' uses a scheme that can never be a redirect target");
          return Optional.empty();
        }
        String authority = custom.group(2) == null ? "" : custom.group(2).substring(2);
        // java.net.URI refuses an empty authority ("myapp://"), so a scheme-only entry is kept as
        // "myapp:/".
        return Optional.of(
            URI.create(authority.isEmpty() ? scheme + ":/" : scheme + "://" + authority));
      }
    }
    return r.parseUrl("SWITCHBOARD_REDIRECT_ALLOWLIST", entry, List.of("http", "https"))
        .filter(u -> isOrigin(r, u));
  }

  private static boolean isOrigin(ConfigReader r, URI u) {
    boolean origin =
        (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"))
            && u.getQuery() == null
            && u.getFragment() == null
            && u.getUserInfo() == null;
    if (!origin) {
      r.problem(
          "SWITCHBOARD_REDIRECT_ALLOWLIST",
          "'" + u + "' is not an origin; list origins like https://app.example.com, without paths");
    }
    return origin;
  }

  public boolean production() {
    return mode == DeploymentMode.PRODUCTION;
  }
}
