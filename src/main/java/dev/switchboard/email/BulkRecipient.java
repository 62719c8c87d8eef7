package dev.switchboard.email;

import java.util.Map;

/** One recipient of a bulk send, with its own variables. */
public record BulkRecipient(String to, Map<String, Object> variables) {}
