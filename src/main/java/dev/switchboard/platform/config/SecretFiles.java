package dev.switchboard.platform.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/** Files that hold a generated secret (a dev key, a write key) in the data directory. */
public final class SecretFiles {

  private SecretFiles() {}

  /**
   * Creates an empty file readable and writable by its owner only (on file systems without POSIX
   * permissions, with their defaults).
   *
   * @throws java.nio.file.FileAlreadyExistsException when it exists
   */
  public static void createOwnerOnly(Path file) throws IOException {
    try {
      Files.createFile(
          file,
          PosixFilePermissions.asFileAttribute(
              EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }
}
