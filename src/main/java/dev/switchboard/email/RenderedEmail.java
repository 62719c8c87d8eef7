package dev.switchboard.email;

/**
 * One message as rendered from a template: stored with the message, so every attempt sends the same
 * bytes.
 *
 * @param subject the subject line, on one line
 * @param text the plain-text part
 * @param html the HTML part, inside the shared layout
 */
public record RenderedEmail(String subject, String text, String html) {}
