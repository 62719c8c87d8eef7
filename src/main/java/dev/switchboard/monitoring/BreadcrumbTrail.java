package dev.switchboard.monitoring;

import dev.switchboard.platform.config.SecretScrubber;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The breadcrumbs of the current thread, kept here rather than in a vendor SDK so both reporters
 * attach the same trail and a request never sees another request's steps: {@link
 * ErrorContextFilter} clears it around every request, and {@link JobErrorContext} clears it around
 * every job. Bounded, so a thread that never clears cannot grow it.
 */
public class BreadcrumbTrail {

  static final int MAX_BREADCRUMBS = 30;
  private static final int MAX_TEXT = 300;
  private static final int MAX_DATA_ENTRIES = 10;

  private final ThreadLocal<Deque<Breadcrumb>> trail = ThreadLocal.withInitial(ArrayDeque::new);
  private final Clock clock;
  private final SecretScrubber scrubber;

  public BreadcrumbTrail(Clock clock, SecretScrubber scrubber) {
    this.clock = clock;
    this.scrubber = scrubber;
  }

  /**
   * Adds a breadcrumb to the current thread's trail, scrubbed and shortened; drops the oldest when
   * full.
   */
  public void add(String category, String message, Map<String, String> data) {
    Map<String, String> safe = new LinkedHashMap<>();
    if (data != null) {
      data.entrySet().stream()
          .filter(e -> e.getKey() != null && e.getValue() != null)
          .limit(MAX_DATA_ENTRIES)
          .forEach(e -> safe.put(shorten(e.getKey()), shorten(scrubber.scrub(e.getValue()))));
    }
    Deque<Breadcrumb> crumbs = trail.get();
    if (crumbs.size() >= MAX_BREADCRUMBS) {
      crumbs.removeFirst();
    }
    crumbs.addLast(
        new Breadcrumb(clock.instant(), shorten(category), shorten(scrubber.scrub(message)), safe));
  }

  /** The current thread's breadcrumbs, oldest first. */
  public List<Breadcrumb> snapshot() {
    return List.copyOf(trail.get());
  }

  /** Forgets the current thread's breadcrumbs. */
  public void clear() {
    trail.remove();
  }

  private static String shorten(String value) {
    String v = value == null ? "" : value.replaceAll("\\p{Cntrl}", " ");
    return v.length() > MAX_TEXT ? v.substring(0, MAX_TEXT) + "…" : v;
  }
}
