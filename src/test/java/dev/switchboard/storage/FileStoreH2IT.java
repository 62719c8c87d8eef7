package dev.switchboard.storage;

import com.zaxxer.hikari.HikariDataSource;

class FileStoreH2IT extends FileStoreContract {

  @Override
  HikariDataSource open() {
    return FilesDatabase.h2();
  }
}
