/**
 * Inbound provider webhooks: the one verifier port and the header map every webhook route passes to
 * it.
 */
package dev.switchboard.platform.webhooks;
