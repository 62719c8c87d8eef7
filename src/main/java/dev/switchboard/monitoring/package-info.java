/**
 * Monitoring: the health monitor that runs every integration's check on a scheduler, the
 * integration map ({@code GET /api/integrations}), the public health summary ({@code GET
 * /api/health}), Actuator readiness backed by the cached results, and Prometheus gauges. Provider
 * subpackages (added by their owners): {@code sentry} (errors), {@code pagerduty} and {@code slack}
 * (alerts).
 */
package dev.switchboard.monitoring;
