/** The shared JSON mapper and a lenient tree reader. */
package dev.switchboard.platform.json;
