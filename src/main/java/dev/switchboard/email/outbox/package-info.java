/**
 * The dev outbox ({@code EMAIL_PROVIDER=outbox}, the default): mail is stored and shown, never
 * delivered.
 */
package dev.switchboard.email.outbox;
