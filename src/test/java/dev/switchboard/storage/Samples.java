package dev.switchboard.storage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Small real files for upload tests. */
public final class Samples {

  private Samples() {}

  /** A valid 1x1 PNG. */
  public static byte[] png() {
    return Base64.getDecoder()
        .decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
  }

  /** The start of a PDF document, enough for any sniffer. */
  public static byte[] pdf() {
    return ("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** An HTML page with a script, as an attacker would upload it. */
  public static byte[] html() {
    return "<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(document.cookie)</script></body></html>\n"
        .getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] csv() {
    return "name,amount\nann,12\nbo,7\n".getBytes(StandardCharsets.UTF_8);
  }
}
