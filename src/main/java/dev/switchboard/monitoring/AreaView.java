package dev.switchboard.monitoring;

import java.util.List;

/**
 * The integrations of one area, as the dashboard groups them.
 *
 * @param area the area id, e.g. {@code platform}, {@code email}
 * @param status the worst status among its checked integrations; {@code unknown} when none was
 *     checked yet
 * @param integrations its boxes, by id
 */
public record AreaView(String area, String status, List<IntegrationView> integrations) {

  public AreaView {
    integrations = List.copyOf(integrations);
  }
}
