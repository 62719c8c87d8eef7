/**
 * Error monitoring through Sentry (or any Sentry-compatible server such as GlitchTip), used when
 * {@code SENTRY_DSN} is set. The only package that imports {@code io.sentry}.
 */
package dev.switchboard.monitoring.sentry;
