package dev.switchboard.monitoring;

import java.util.List;

/**
 * One page of error groups, newest first.
 *
 * @param groups the groups on this page
 * @param total how many groups exist
 * @param limit the page size asked for
 * @param offset how many groups were skipped
 */
public record ErrorPage(List<ErrorGroup> groups, long total, int limit, int offset) {

  public ErrorPage {
    groups = List.copyOf(groups);
  }
}
