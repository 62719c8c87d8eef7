package dev.switchboard.auth;

/**
 * Where a session was opened from, shown in the session list so people can recognise their devices.
 */
public record ClientInfo(String ipAddress, String userAgent) {}
