/**
 * The Spring Security oauth2-client glue the provider adapters share: building authorization
 * requests with PKCE and nonce, the RestClient-based token exchange with timeouts, and turning its
 * exceptions into the area's stable codes. Spring Security types stay in this package and the
 * provider subpackages.
 */
package dev.switchboard.auth.oauth2;
