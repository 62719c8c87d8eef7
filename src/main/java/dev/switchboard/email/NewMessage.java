package dev.switchboard.email;

import java.util.Optional;

/**
 * A message about to be stored as {@code queued}.
 *
 * @param id our id, {@code msg_…}
 * @param batchId the bulk batch it belongs to, if any
 * @param template the template id
 * @param locale the requested locale, if any
 * @param recipient the address, as validated
 * @param content the rendered subject, text and HTML
 */
public record NewMessage(
    String id,
    Optional<String> batchId,
    String template,
    Optional<String> locale,
    String recipient,
    RenderedEmail content) {}
