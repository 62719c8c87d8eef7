package dev.switchboard.storage.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HMAC key of local upload and download URLs: 32 random bytes generated on first start and kept
 * in the data dir, so URLs survive a restart and every instance sharing the data dir signs alike.
 * Deleting the file revokes every URL handed out so far.
 */
final class LocalSigningKey {

  static final String FILE_NAME = "signing-key";

  private LocalSigningKey() {}

  static byte[] loadOrCreate(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(file)) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
          Files.write(
              file,
              Base64.getEncoder().encode(key),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE);
          restrict(file);
          return key;
        } catch (FileAlreadyExistsException raced) {
          // Another instance on the same data dir wrote it first: use theirs.
        }
      }
      byte[] key = Base64.getDecoder().decode(Files.readString(file).trim());
      if (key.length < 32) {
        throw new IllegalStateException(
            file + " holds a key shorter than 32 bytes; delete it to generate a new one");
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read or create the local storage signing key in " + dir, e);
    }
  }

  private static void restrict(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system (Windows): the data dir's own permissions protect it.
    }
  }
}
