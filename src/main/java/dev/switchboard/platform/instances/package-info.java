/**
 * The instance registry: each running Switchboard process keeps a row in the {@code instances}
 * table (id, version, host and pid, public URL, database and storage) and refreshes it on a
 * heartbeat. The rows let every instance show all of them on the integration map, flag one that
 * stopped reporting, and notice settings that break with several instances: local storage or the H2
 * database shared by more than one, or different {@code SWITCHBOARD_PUBLIC_URL} values. No
 * clustering: the shared database is the only channel.
 */
package dev.switchboard.platform.instances;
