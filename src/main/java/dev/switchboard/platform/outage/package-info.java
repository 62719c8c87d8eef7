/**
 * Failing fast while a shared dependency (the database, Redis) is unreachable, and probing it once
 * per interval until it answers again.
 */
package dev.switchboard.platform.outage;
