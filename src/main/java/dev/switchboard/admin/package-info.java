/**
 * The dashboard at {@code /admin}: server-rendered Mustache pages over the areas' services (the
 * integration map, errors). Signed in with an {@code admin}-scoped API key kept in an HttpOnly
 * cookie. It reads area services only, never provider subpackages.
 */
package dev.switchboard.admin;
