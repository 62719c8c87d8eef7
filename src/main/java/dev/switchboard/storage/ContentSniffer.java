package dev.switchboard.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * The real type of an upload from its first bytes (Apache Tika's magic numbers, no file name), and
 * whether it matches what the client declared. Declared types are never trusted on their own: that
 * is how PDFs pass as images and HTML as text.
 */
final class ContentSniffer {

  /** Enough for every magic number and for XML root elements (SVG) after a long prologue. */
  static final int PREFIX_BYTES = 16 * 1024;

  /**
   * Formats without magic numbers are only recognisable as plain text; declaring one of them is
   * accepted.
   */
  private static final MediaType TEXT = MediaType.TEXT_PLAIN;

  private static final Set<String> RASTER_IMAGES =
      Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp");

  /**
   * Tika's type table, read from its XML at the first upload check instead of at every start (2 %
   * of the start's main thread).
   */
  private static final class Table {
    static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
    static final MediaTypeRegistry REGISTRY = TYPES.getMediaTypeRegistry();
  }

  /** The detected type, e.g. {@code image/png}; {@code application/octet-stream} when unknown. */
  String detect(byte[] prefix) {
    try {
      return Table.TYPES
          .detect(new ByteArrayInputStream(prefix), new Metadata())
          .getBaseType()
          .toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * True when the bytes can be what was declared: the same type (or an alias), or a text format
   * without magic (CSV, Markdown) declared for bytes that are plain text. HTML, XML and SVG are
   * detected as themselves, so they never pass as plain text.
   */
  boolean matches(String declared, String detected) {
    MediaTypeRegistry registry = Table.REGISTRY;
    MediaType d = registry.normalize(MediaType.parse(declared));
    MediaType real = registry.normalize(MediaType.parse(detected));
    if (d == null || real == null) {
      return false;
    }
    if (d.getBaseType().equals(real.getBaseType())) {
      return true;
    }
    return real.getBaseType().equals(TEXT) && registry.isSpecializationOf(d.getBaseType(), TEXT);
  }

  /**
   * Plain text is what every text format without magic looks like; the policy is checked on the
   * declared one.
   */
  static boolean generic(String detected) {
    return TEXT.toString().equals(detected);
  }

  /**
   * Raster images are the only uploads a browser may show inline; SVG and HTML can carry script.
   */
  static boolean rasterImage(String type) {
    return RASTER_IMAGES.contains(type);
  }
}
