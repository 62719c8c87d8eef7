package dev.switchboard.storage;

import com.zaxxer.hikari.HikariDataSource;

class FileStorePostgresIT extends FileStoreContract {

  @Override
  HikariDataSource open() {
    return FilesDatabase.postgres();
  }
}
