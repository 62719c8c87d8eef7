package dev.switchboard.storage.local;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * Prunes the local store's deleted-key markers ({@code
 * storage/deleted/uploads/{owner}/{uuid}/{name}}): each deleted upload has its own folder, so the
 * folders a pruned marker leaves empty go too, or they would pile up instead.
 */
final class DeletedMarkers {

  private DeletedMarkers() {}

  /**
   * Deletes the markers last modified before {@code before}, then every folder left empty below
   * {@code root}.
   *
   * @return how many markers were deleted
   */
  static int prune(Path root, Instant before) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int[] pruned = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()
                && attrs.lastModifiedTime().toInstant().isBefore(before)
                && Files.deleteIfExists(file)) {
              pruned[0]++;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // another instance pruned it first
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            if (!dir.equals(root)) {
              try {
                Files.deleteIfExists(dir);
              } catch (DirectoryNotEmptyException stillUsed) {
                // younger markers inside, or one created since the walk passed
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return pruned[0];
  }
}
