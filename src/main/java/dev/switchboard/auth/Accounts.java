package dev.switchboard.auth;

import java.util.Optional;

/** Read access to accounts for other areas (payments needs the address to bill and to write to). */
public interface Accounts {

  /** The account with this id, or empty when there is none (never throws for an unknown id). */
  Optional<Account> find(String id);
}
